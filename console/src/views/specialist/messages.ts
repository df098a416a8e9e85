/** The specialist's pages' words, Chinese first; both languages have the same keys (a test checks). */
import { words } from '@/i18n/shape'

export default words(
  {
    home: { title: '服务专员工作台', description: '受理和评估需求、匹配服务机构、跟进回访。' },
  },
  {
    home: { title: 'Specialist workspace', description: 'Assess demands, match institutions, follow up and revisit.' },
  },
)
