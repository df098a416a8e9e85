import { api, call, type components } from '@/api/client'
import type { CursorPage } from '@/composables/usePagedList'

export type Envelope = components['schemas']['PartnerEnvelope']
export type Webhook = components['schemas']['WebhookView']

/** A line of the webhook's delivery log (the API gives free-form objects). */
export interface DeliveryLine {
  event_id: string
  at: string
  ok: boolean
  status: number | null
  error: string | null
  rewound: boolean
  retry_at: string | null
}

export function deliveryLines(webhook: Webhook): DeliveryLine[] {
  return webhook.log.map((line) => ({
    event_id: String(line.event_id ?? ''),
    at: String(line.at ?? ''),
    ok: line.ok === true,
    status: typeof line.status === 'number' ? line.status : null,
    error: typeof line.error === 'string' ? line.error : null,
    rewound: line.rewound === true,
    retry_at: typeof line.retry_at === 'string' ? line.retry_at : null,
  }))
}

/** The partner event stream as a cursor page (its `more` says whether next_after leads on). */
export async function eventPage(after: string | null, limit = 20): Promise<CursorPage<Envelope>> {
  const page = await call(api.GET('/api/v1/partner/events', { params: { query: { after: after ?? undefined, limit } } }))
  return { items: page.items, next_after: page.more ? page.next_after : null, per_page: limit }
}
