import { describe, expect, it } from 'vitest'
import { resolveStaticPath } from './staticFiles.ts'
import { safeFileName } from './csvUpload.ts'

describe('static files', () => {
  it('maps / to index.html and stays inside the root', () => {
    expect(resolveStaticPath('/srv/app', '/')).toBe('/srv/app/index.html')
    expect(resolveStaticPath('/srv/app', '/assets/a.js')).toBe('/srv/app/assets/a.js')
    expect(resolveStaticPath('/srv/app', '/../secret')).toBeNull()
    expect(resolveStaticPath('/srv/app', '/..%2f..%2fetc%2fpasswd')).toBeNull()
    expect(resolveStaticPath('/srv/app', '/%2e%2e/x')).toBeNull()
    expect(resolveStaticPath('/srv/app', '/a%00b')).toBeNull()
    expect(resolveStaticPath('/srv/app', '/%E0%A4%A')).toBeNull()
  })
})

describe('upload file names', () => {
  it('keeps a readable base name and drops anything path-like', () => {
    expect(safeFileName('tickets.csv')).toBe('tickets.csv')
    expect(safeFileName('../../etc/passwd')).toBe('passwd')
    expect(safeFileName('C:\\Users\\me\\export 2024.csv')).toBe('export 2024.csv')
    expect(safeFileName('..hidden.csv')).toBe('hidden.csv')
    expect(safeFileName('')).toBe('upload.csv')
    expect(safeFileName('Überweisung;rm -rf.csv')).toBe('Überweisung_rm -rf.csv')
  })
})
