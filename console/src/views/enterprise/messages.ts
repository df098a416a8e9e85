/** The enterprise's pages' words, Chinese first; both languages have the same keys (a test checks). */
import { words } from '@/i18n/shape'

export default words(
  {
    home: { title: '企业工作台', description: '提交服务需求、跟踪办理进度、查看通知和评价服务。' },
  },
  {
    home: { title: 'Enterprise workspace', description: 'Submit demands, follow your cases, read notices and rate services.' },
  },
)
