// The gzipped JavaScript a page loads first: the entry, the route's view and every chunk they
// import statically (from the build's manifest). `npm run size [view]`, by default the sign-in page.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const view = process.argv[2] ?? 'src/views/public/SignInPage.vue'
const manifest = JSON.parse(readFileSync('dist/.vite/manifest.json', 'utf8'))
const seen = new Set()
function visit(key) {
  if (seen.has(key)) return
  seen.add(key)
  for (const next of manifest[key].imports ?? []) visit(next)
}
visit('index.html')
visit(view)
let total = 0
for (const key of seen) {
  const size = gzipSync(readFileSync(`dist/${manifest[key].file}`)).length
  total += size
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${manifest[key].file}`)
}
console.log(`${(total / 1024).toFixed(1).padStart(8)} KB  gzipped JavaScript loaded first by ${view}`)
