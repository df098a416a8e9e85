import type { components } from './schema'

export type ErrorBody = components['schemas']['Error']

/**
 * An answer of the API that is not a success, or no answer at all (`status` 0).
 * `title` says what kind of error in the person's language (the API writes it from
 * Accept-Language); `message` the particulars; `details` maps offending fields to their
 * messages, in the person's language too.
 */
export class ApiError extends Error {
  readonly status: number
  readonly error: string
  readonly title: string
  readonly details: Record<string, unknown>

  constructor(status: number, body: Partial<ErrorBody>, fallbackTitle = '') {
    super(body.message ?? body.title ?? fallbackTitle)
    this.name = 'ApiError'
    this.status = status
    this.error = body.error ?? 'unknown'
    this.title = body.title ?? fallbackTitle
    this.details =
      body.details && typeof body.details === 'object' && !Array.isArray(body.details)
        ? (body.details as Record<string, unknown>)
        : {}
  }

  /** The reason a 401 or 403 gives (`details.reason`), such as `second_factor_required`. */
  get reason(): string | undefined {
    const reason = this.details.reason
    return typeof reason === 'string' ? reason : undefined
  }

  /**
   * The message for one field, for ElFormItem's `error` prop: the API's `details` hold, per field,
   * a list of messages or one, already in the person's language (Accept-Language); a nested
   * field is named with dots (`enterprise.name`).
   */
  fieldError(field: string): string | undefined {
    let value: unknown = this.details
    for (const part of field.split('.')) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
      value = (value as Record<string, unknown>)[part]
    }
    const messages = (Array.isArray(value) ? value : [value]).filter(
      (item): item is string => typeof item === 'string',
    )
    return messages.length ? messages.join('；') : undefined
  }
}

/** A response body that is the API's error, or anything else a server or proxy answered. */
export function toApiError(status: number, body: unknown, fallbackTitle = ''): ApiError {
  return new ApiError(status, body && typeof body === 'object' ? (body as Partial<ErrorBody>) : {}, fallbackTitle)
}

/** Whatever a call threw, as an ApiError (a failure that is not the API's: status 0). */
export function asApiError(cause: unknown): ApiError {
  return cause instanceof ApiError ? cause : new ApiError(0, { message: String(cause) })
}
