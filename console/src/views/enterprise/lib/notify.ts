import { ElMessage } from 'element-plus'

/**
 * A passing message after an action, in colours that pass WCAG AA (Element Plus's success and
 * error texts are too light on their tints): see .enterprise-message in enterprise.css.
 */
export function notify(type: 'success' | 'error', message: string): void {
  ElMessage({ type, message, customClass: `enterprise-message enterprise-message--${type}` })
}
