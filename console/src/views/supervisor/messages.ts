/** The supervisor's pages' words, Chinese first; both languages have the same keys (a test checks). */
import { words } from '@/i18n/shape'

export default words(
  {
    home: { title: '监管工作台', description: '查阅服务档案、评价服务质量、处理投诉和抽查。' },
  },
  {
    home: { title: 'Supervision', description: 'Read dossiers, evaluate the service, handle complaints and spot checks.' },
  },
)
