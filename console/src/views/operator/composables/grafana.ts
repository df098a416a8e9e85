/** The platform's Grafana dashboards (deploy/grafana/), and where the console links them. */
export interface Dashboard {
  /** `operator.dashboards.<key>.name|purpose` */
  key: 'operators' | 'stations'
  uid: string
  file: string
}

export const DASHBOARDS: readonly Dashboard[] = [
  { key: 'operators', uid: 'onestop-operators', file: 'deploy/grafana/operators.json' },
  { key: 'stations', uid: 'onestop-stations', file: 'deploy/grafana/station-managers.json' },
]

/** Grafana's base URL given at build time (VITE_GRAFANA_URL), without a trailing slash; null when unset or not http(s). */
export function grafanaBase(value: string | undefined = import.meta.env.VITE_GRAFANA_URL as string | undefined): string | null {
  const trimmed = value?.trim().replace(/\/+$/, '')
  if (!trimmed) return null
  try {
    const url = new URL(trimmed)
    return url.protocol === 'https:' || url.protocol === 'http:' ? trimmed : null
  } catch {
    return null
  }
}

/** A dashboard's address in Grafana (`/d/<uid>`), or null without a base. */
export function dashboardUrl(base: string | null, dashboard: Dashboard): string | null {
  return base ? `${base}/d/${encodeURIComponent(dashboard.uid)}` : null
}
