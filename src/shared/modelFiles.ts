// Which files of a model folder an install reads, shared by the browser page (it uploads only these) and
// the browser host (it accepts only these): the ONNX graph, the tokenizer and the small JSON and text files
// that describe them — never the PyTorch or safetensors weights that often sit beside them.
export function isModelFile(relativePath: string): boolean {
  const parts = relativePath.split('/')
  const name = parts.at(-1) ?? ''
  if (parts.length === 2 && parts[0] === 'onnx') return name.endsWith('.onnx')
  if (parts.length !== 1) return false
  return (
    name.endsWith('.onnx') ||
    /^(tokenizer|tokenizer_config|config|sentence_bert_config|special_tokens_map|manifest)\.json$/.test(name) ||
    name === 'README.md' ||
    name === 'LICENSE' ||
    name === 'vocab.txt'
  )
}

/** A file chosen with a folder picker: "my-model/onnx/model.onnx" → folder "my-model", path "onnx/model.onnx". */
export function splitPickedPath(webkitRelativePath: string): { folder: string; path: string } {
  const at = webkitRelativePath.indexOf('/')
  return at < 0 ? { folder: 'model', path: webkitRelativePath } : { folder: webkitRelativePath.slice(0, at), path: webkitRelativePath.slice(at + 1) }
}
