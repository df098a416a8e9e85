import { ref } from 'vue'
import { api, call } from '@/api/client'

/** The roles that have an inbox (the API's x-roles of /api/v1/notifications). */
export const INBOX_ROLES: readonly string[] = ['enterprise', 'institution', 'specialist']

const unread = ref(0)

/** How many notices the person has not read, for the header's bell. */
export function useNotifications() {
  async function refreshUnread(): Promise<void> {
    try {
      const page = await call(api.GET('/api/v1/notifications', { params: { query: { unread: true, per_page: 1 } } }))
      unread.value = page.unread
    } catch {
      // the bell keeps its last count; the inbox shows errors
    }
  }
  async function markRead(id: string): Promise<void> {
    await call(api.POST('/api/v1/notifications/{notice_id}/read', { params: { path: { notice_id: id } } }))
    unread.value = Math.max(0, unread.value - 1)
  }
  return { unread, refreshUnread, markRead }
}
