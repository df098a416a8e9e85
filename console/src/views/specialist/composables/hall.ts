import type { components } from '@/api/client'
import type { Matching } from './useDemand'

export type HallEntry = components['schemas']['HallEntryView']
export type Interest = components['schemas']['InterestView']

/** The demand's listing in the demand hall as matching's explanation carries it, if it had one. */
export function hallOf(matching: Matching | null): HallEntry | null {
  return (matching?.hall as HallEntry | null | undefined) ?? null
}
