import { api, call, type components } from '@/api/client'
import { saveBlob } from '@/utils/files'

export type Attachment = components['schemas']['Attachment']

/**
 * Uploads a file as the API takes it: its raw bytes with its own media type, its name in the
 * query. The answer's sha256 is what a demand, supplied information, a completion's evidence, a
 * stage of a standard project or a requirement's record lists.
 */
export function uploadFile(file: File): Promise<Attachment> {
  return call(
    api.POST('/api/v1/attachments', {
      params: { query: { name: file.name } },
      body: file as unknown as string,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
    }),
  )
}

/**
 * Downloads a file of a demand (an attachment, supplied information's or the completion's
 * evidence) with the person's token, which a plain link could not carry: saved under `name`.
 */
export async function downloadDemandFile(demandId: string, sha256: string, name: string): Promise<void> {
  const blob = await call(
    api.GET('/api/v1/demands/{demand_id}/files/{sha256}', {
      params: { path: { demand_id: demandId, sha256 } },
      parseAs: 'blob',
    }),
  )
  saveBlob(blob as unknown as Blob, name)
}
