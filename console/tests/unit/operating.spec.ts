import { describe, expect, it } from 'vitest'
import type { RequirementItem } from '@/components/requirements/requirements'
import { ownedMet, ownsItem } from '@/views/operating/composables/operated'
import section from '@/views/operating/section'
import { homeOf } from '@/router/sections'

function item(code: string, owner: string, state: string, derived = false): RequirementItem {
  return {
    code, group: 'management', owner, name: { 'zh-CN': code, en: code }, kind: 'document', minimum: null, unit: null,
    derived, evidence_required: true, state, why: null, record: null,
  } as unknown as RequirementItem
}

describe('the operating institution', () => {
  const items = [
    item('institution_rules', 'operating_institution', 'met'),
    item('staff_training', 'operating_institution', 'not_recorded'),
    item('confidentiality', 'operating_institution', 'not_met'),
    item('site', 'station', 'met'),
    item('specialists', 'station', 'met', true),
  ]

  it('records only the items it owns, never the station’s nor a counted one', () => {
    expect(items.filter(ownsItem).map((one) => one.code)).toEqual(['institution_rules', 'staff_training', 'confidentiality'])
    expect(ownsItem({ owner: 'operating_institution', derived: true })).toBe(false)
  })

  it('counts its own items met of its own items', () => {
    expect(ownedMet({ items })).toEqual({ met: 1, total: 3 })
    expect(ownedMet({ items: [] })).toEqual({ met: 0, total: 0 })
  })

  it('has a home named as the role’s', () => {
    expect(section.routes[0]?.name).toBe(homeOf('operating_institution'))
    expect(section.menu[0]?.route).toBe(homeOf('operating_institution'))
  })
})
