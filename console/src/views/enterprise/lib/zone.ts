/**
 * An instant (ISO 8601, any offset) as the wall clock of a time zone, with that zone's offset:
 * "2026-12-06T00:43:00.49+00:00" in Asia/Shanghai is "2026-12-06T08:43:00+08:00". The dossier
 * gives instants in UTC (as recorded: it is evidence), the demand's and the complaint's views in
 * the station's zone: this puts them all on the station's clock for formatInstant. Unparsable
 * values or zones come back unchanged.
 */
export function inZone(value: string | null | undefined, timeZone: string | null | undefined): string {
  if (!value) return ''
  const time = Date.parse(value)
  if (Number.isNaN(time) || !timeZone) return value
  let parts: Intl.DateTimeFormatPart[]
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
    }).formatToParts(new Date(time))
  } catch {
    return value
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? ''
  const name = part('timeZoneName') // "GMT+08:00", or "GMT" for UTC itself
  const offset = name === 'GMT' ? '+00:00' : name.replace('GMT', '')
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}${offset}`
}
