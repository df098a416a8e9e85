const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/** "+08:00" for 480 minutes east of UTC. */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const whole = Math.abs(minutes)
  return `${sign}${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`
}

/**
 * An instant as the API gives it (in the station's time zone, with its offset) shown as the
 * station's wall clock: "2026-12-05 16:08", followed by the offset ("2026-12-05 16:08 +08:00")
 * when the browser's own offset at that instant differs. `browserOffset` (minutes east of UTC)
 * is the browser's unless a test gives one.
 */
export function formatInstant(value: string | null | undefined, browserOffset?: number): string {
  if (!value) return ''
  const parts = INSTANT.exec(value)
  if (!parts) return value
  const [, date, time, zone] = parts as unknown as [string, string, string, string]
  const offset = zone === 'Z' ? '+00:00' : zone
  const browser = browserOffset ?? -new Date(value).getTimezoneOffset()
  return offset === offsetText(browser) ? `${date} ${time}` : `${date} ${time} ${offset}`
}
