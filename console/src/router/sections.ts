import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { HomeFilled, Message } from '@element-plus/icons-vue'
import type { Role } from '@/composables/useSession'

/** An entry of a role's side menu: a route's name, an i18n key, an icon. */
export interface MenuItem {
  route: string
  label: string
  icon: Component
}

/**
 * A role's part of the console: its pages (under the console's layout, each a lazy import)
 * and its menu. The first page is the role's home. A helper adding a role's work adds routes
 * and menu entries here, and its views under src/views/<role>/.
 */
export interface Section {
  routes: RouteRecordRaw[]
  menu: MenuItem[]
}

const inbox: MenuItem = { route: 'inbox', label: 'menu.inbox', icon: Message }

export const SECTIONS: Record<Role, Section> = {
  enterprise: {
    routes: [
      { path: 'enterprise', name: 'enterprise-home', component: () => import('@/views/enterprise/EnterpriseHome.vue'), meta: { roles: ['enterprise'], title: 'homes.enterprise.title' } },
    ],
    menu: [{ route: 'enterprise-home', label: 'menu.home', icon: HomeFilled }, inbox],
  },
  institution: {
    routes: [
      { path: 'institution', name: 'institution-home', component: () => import('@/views/institution/InstitutionHome.vue'), meta: { roles: ['institution'], title: 'homes.institution.title' } },
    ],
    menu: [{ route: 'institution-home', label: 'menu.home', icon: HomeFilled }, inbox],
  },
  specialist: {
    routes: [
      { path: 'specialist', name: 'specialist-home', component: () => import('@/views/specialist/SpecialistHome.vue'), meta: { roles: ['specialist'], title: 'homes.specialist.title' } },
    ],
    menu: [{ route: 'specialist-home', label: 'menu.home', icon: HomeFilled }, inbox],
  },
  supervisor: {
    routes: [
      { path: 'supervisor', name: 'supervisor-home', component: () => import('@/views/supervisor/SupervisorHome.vue'), meta: { roles: ['supervisor'], title: 'homes.supervisor.title' } },
    ],
    menu: [{ route: 'supervisor-home', label: 'menu.home', icon: HomeFilled }],
  },
  operator: {
    routes: [
      { path: 'operator', name: 'operator-home', component: () => import('@/views/operator/OperatorHome.vue'), meta: { roles: ['operator'], title: 'homes.operator.title' } },
    ],
    menu: [{ route: 'operator-home', label: 'menu.home', icon: HomeFilled }],
  },
}

/** The name of a role's home route. */
export function homeOf(role: Role): string {
  return `${role}-home`
}
