import type { components } from './client'

/** A service category's code, as the API names it. */
export type Category = components['schemas']['SubmitDemand']['category']

/** The nine service categories of the standard (docs: domain), in the order every page lists them. */
export const CATEGORIES = [
  'inspection_testing', 'metrology', 'certification_accreditation', 'standardization', 'quality_management',
  'intellectual_property', 'brand_cultivation', 'equipment_sharing', 'quality_innovation',
] as const satisfies readonly Category[]
