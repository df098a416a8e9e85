import type { components } from '@/api/client'

export type RegisterInstitution = components['schemas']['RegisterInstitution']
export type QualificationInput = components['schemas']['Qualification']
export type PriceInput = components['schemas']['PriceEntry']

export interface OnboardingForm {
  name: string
  credit_code: string
  categories: RegisterInstitution['categories']
  parks: string[]
  home_park: string
  capacity: number
  auto_accept_offers: boolean
  qualifications: { type: QualificationInput['type']; number: string; issuer: string; scope: string[]; valid: [string, string] | null }[]
  price_list: PriceInput[]
}

export function newQualification(): OnboardingForm['qualifications'][number] {
  return { type: 'CMA', number: '', issuer: '', scope: [], valid: null }
}

export function newOnboarding(park = ''): OnboardingForm {
  return {
    name: '', credit_code: '', categories: [], parks: park ? [park] : [], home_park: park,
    capacity: 10, auto_accept_offers: false, qualifications: [newQualification()], price_list: [],
  }
}

/** POST /api/v1/institutions's body (texts trimmed, empty optional fields left out). */
export function onboardingBody(form: OnboardingForm): RegisterInstitution {
  return {
    name: form.name.trim(),
    credit_code: form.credit_code.trim().toUpperCase(),
    categories: [...form.categories],
    parks: [...form.parks],
    home_park: form.home_park.trim() || null,
    capacity: form.capacity,
    auto_accept_offers: form.auto_accept_offers,
    qualifications: form.qualifications.map((q) => ({
      type: q.type,
      number: q.number.trim(),
      issuer: q.issuer.trim() || null,
      scope: [...q.scope],
      valid_from: q.valid?.[0] ?? '',
      valid_until: q.valid?.[1] ?? '',
    })),
    price_list: form.price_list
      .filter((p) => p.item.trim() || p.price_cny.trim() || p.unit.trim())
      .map((p) => ({ item: p.item.trim(), price_cny: p.price_cny.trim(), unit: p.unit.trim() })),
  }
}
