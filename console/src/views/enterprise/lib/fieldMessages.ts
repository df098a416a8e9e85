/**
 * The API's per-field messages are marshmallow's, in English whatever the language asked for;
 * the enterprise's forms show them in the console's language. `fieldMessage` turns one message
 * into a key (and values) of `enterprise.fieldErrors`; an unknown message is kept as it is.
 */
export interface FieldMessage {
  key: 'required' | 'blank' | 'length' | 'maxLength' | 'range' | 'phone' | 'date' | 'pattern' | 'choice' | 'invalid'
  values?: Record<string, string>
}

const RULES: [RegExp, (match: RegExpExecArray) => FieldMessage][] = [
  [/^Missing data for required field\.?$/i, () => ({ key: 'required' })],
  [/^Field may not be null\.?$/i, () => ({ key: 'required' })],
  [/^must not be blank\.?$/i, () => ({ key: 'blank' })],
  [/^Length must be between (\d+) and (\d+)\.?$/i, (m) => ({ key: 'length', values: { min: m[1]!, max: m[2]! } })],
  [/^(?:Longer than maximum length|Length must be at most) (\d+)\.?$/i, (m) => ({ key: 'maxLength', values: { max: m[1]! } })],
  [/^Must be greater than or equal to (\d+) and less than or equal to (\d+)\.?$/i, (m) => ({ key: 'range', values: { min: m[1]!, max: m[2]! } })],
  [/phone/i, () => ({ key: 'phone' })],
  [/^Not a valid date/i, () => ({ key: 'date' })],
  [/^String does not match expected pattern\.?$/i, () => ({ key: 'pattern' })],
  [/^Must be one of/i, () => ({ key: 'choice' })],
  [/^(?:Not a valid|Invalid)/i, () => ({ key: 'invalid' })],
]

export function fieldMessage(message: string): FieldMessage | string {
  for (const [pattern, make] of RULES) {
    const match = pattern.exec(message.trim())
    if (match) return make(match)
  }
  return message
}

/**
 * The messages `ApiError.fieldError` joined with '；', in the console's words (`translate` is
 * i18n's t). "must not be blank" makes the length rule that comes with it redundant.
 */
export function translateFieldError(
  joined: string | undefined,
  translate: (key: string, values?: Record<string, string>) => string,
): string | undefined {
  if (!joined) return undefined
  const parsed = joined.split('；').map(fieldMessage)
  const keys = parsed.map((item) => (typeof item === 'string' ? '' : item.key))
  const blank = keys.includes('blank') || keys.includes('required')
  const texts = parsed
    .filter((item) => !(blank && typeof item !== 'string' && item.key === 'length'))
    .map((item) => (typeof item === 'string' ? item : translate(`enterprise.fieldErrors.${item.key}`, item.values)))
  return [...new Set(texts)].join('；')
}
