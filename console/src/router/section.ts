import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { DocumentChecked, Message } from '@element-plus/icons-vue'

/** An entry of a role's side menu: a route's name, an i18n key, an icon. */
export interface MenuItem {
  route: string
  label: string
  icon: Component
}

/**
 * A role's part of the console: its pages (under the console's layout, each a lazy import)
 * and its menu. The first page is the role's home. Each role's is in src/views/<role>/section.ts,
 * beside its views and its words (messages.ts).
 */
export interface Section {
  routes: RouteRecordRaw[]
  menu: MenuItem[]
}

/** The shared inbox, in the menus of those who get notices. */
export const INBOX: MenuItem = { route: 'inbox', label: 'menu.inbox', icon: Message }

/** The register of reports and certificates, in the menus of those who look numbers up. */
export const REPORTS: MenuItem = { route: 'reports', label: 'menu.reports', icon: DocumentChecked }
/** Who finds it in their menu (anyone signed in may search by number). */
export const REPORT_ROLES = ['enterprise', 'specialist', 'supervisor'] as const
