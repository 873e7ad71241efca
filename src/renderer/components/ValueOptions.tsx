// The <option>s of a select over a list of values: each option's value is the value itself, its text
// the value unless `label` names it otherwise.
export function ValueOptions<T extends string | number>({ values, label }: { values: readonly T[]; label?: (value: T) => string }) {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {label ? label(v) : v}
        </option>
      ))}
    </>
  )
}
