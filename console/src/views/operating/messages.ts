/** The operating institution's pages' words, Chinese first; both languages have the same keys (a test checks). */
import { words } from '@/i18n/shape'

export default words(
  {
    menu: {
      stations: '运营的工作站',
    },
    stations: {
      title: '本机构运营的工作站',
      description: '工作站登记时写明的运营机构统一社会信用代码与本机构一致的，列于此处。',
      station: '工作站',
      park: '园区',
      conformity: '达标情况',
      open: '建设与管理要求',
      none: '尚无以本机构为运营机构的工作站',
    },
    requirements: {
      title: '工作站建设与管理要求',
      description: '本机构负责的项目（如运营机构管理制度、人员培训计划、保密制度）由本机构记录并上传证明材料；其余项目由工作站记录。记录后由监管人员核实确认。',
      back: '返回工作站列表',
      owned: '本机构负责的项目：{met} / {total} 项达标',
    },
  },
  {
    menu: {
      stations: 'Stations run',
    },
    stations: {
      title: 'The stations this institution runs',
      description: "The stations whose registration names this institution's unified social credit code as their operating institution.",
      station: 'Station',
      park: 'Park',
      conformity: 'Conformity',
      open: 'Requirements',
      none: 'No station names this institution as its operating institution yet',
    },
    requirements: {
      title: "A station's construction and management requirements",
      description: "This institution records the items it owns (its management rules, staff training plan, confidentiality) with evidence files; the station records the others. A supervisor checks and confirms each record.",
      back: 'Back to the stations',
      owned: "This institution's items: {met} of {total} met",
    },
  },
)
