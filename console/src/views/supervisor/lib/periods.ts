/** Evaluation periods as the API writes them: YYYY-MM, YYYY-Qn or YYYY (the station's local days). */
export type PeriodKind = 'month' | 'quarter' | 'year'

const pad = (n: number) => String(n).padStart(2, '0')

/** The period of `kind` that holds `date` (its local calendar). */
export function periodOf(kind: PeriodKind, date: Date = new Date()): string {
  const year = date.getFullYear()
  if (kind === 'year') return String(year)
  if (kind === 'quarter') return `${year}-Q${Math.floor(date.getMonth() / 3) + 1}`
  return `${year}-${pad(date.getMonth() + 1)}`
}

/** The kind of a period string, or null when it is none of the three. */
export function kindOf(period: string): PeriodKind | null {
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return 'month'
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter'
  if (/^\d{4}$/.test(period)) return 'year'
  return null
}

/** The year a period falls in: the span a trend of its months or quarters covers. */
export function yearOfPeriod(period: string): string {
  return period.slice(0, 4)
}

/** A period moved to another kind, keeping its year (and its quarter's first month). */
export function convertPeriod(period: string, kind: PeriodKind): string {
  const year = Number(period.slice(0, 4))
  const from = kindOf(period)
  let month = 0
  if (from === 'month') month = Number(period.slice(5, 7)) - 1
  else if (from === 'quarter') month = (Number(period.slice(6)) - 1) * 3
  return periodOf(kind, new Date(year, month, 1))
}
