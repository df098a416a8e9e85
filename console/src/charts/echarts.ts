/**
 * ECharts, tree-shaken: only the charts and components registered here are bundled (into the
 * `echarts` chunk, loaded by the views that import this module). A view draws with
 *
 *     import { VChart } from '@/charts/echarts'
 *     <VChart :option="option" autoresize style="height: 320px" />
 *
 * Register here any other chart type or component a view needs.
 */
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, LineChart, PieChart, RadarChart } from 'echarts/charts'
import {
  DatasetComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent,
} from 'echarts/components'
import VChart from 'vue-echarts'

use([
  CanvasRenderer, BarChart, LineChart, PieChart, RadarChart,
  DatasetComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent,
])

export { VChart }
