import 'vue-router'
import type { Pending, Role } from '@/composables/useSession'

declare module 'vue-router' {
  interface RouteMeta {
    /** Open to anyone (sign-in, registration). */
    public?: boolean
    /** The page of a step the person must take first (pending in the token). */
    pending?: Pending
    /** The roles that may open the page; absent: any signed-in person with a role. */
    roles?: readonly Role[]
    /** The page's title, an i18n key (shown in the browser's tab). */
    title?: string
  }
}
