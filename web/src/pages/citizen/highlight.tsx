/** Renders a search highlight (`普通<em>护照</em>签发`) as text with <mark>s, never as HTML. */
export function Highlight({ text }: { text: string }) {
  const parts = text.split(/<em>|<\/em>/);
  return (
    <>
      {parts.map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part))}
    </>
  );
}
