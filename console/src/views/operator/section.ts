import { HomeFilled } from '@element-plus/icons-vue'
import type { Section } from '@/router/section'

/** The operator's pages (each a lazy import; the first is the home) and menu. */
const section: Section = {
  routes: [
    { path: 'operator', name: 'operator-home', component: () => import('./OperatorHome.vue'), meta: { roles: ['operator'], title: 'operator.home.title' } },
  ],
  menu: [{ route: 'operator-home', label: 'menu.home', icon: HomeFilled }],
}

export default section
