import type { Role } from '@/composables/useSession'
import enterprise from '@/views/enterprise/section'
import institution from '@/views/institution/section'
import specialist from '@/views/specialist/section'
import supervisor from '@/views/supervisor/section'
import operator from '@/views/operator/section'
import operating_institution from '@/views/operating/section'
import type { Section } from './section'

export type { MenuItem, Section } from './section'

/** Each role's section lives with its views (src/views/<role>/section.ts). */
export const SECTIONS: Record<Role, Section> = { enterprise, institution, specialist, supervisor, operator, operating_institution }

/** The name of a role's home route. */
export function homeOf(role: Role): string {
  return `${role}-home`
}
