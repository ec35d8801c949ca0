// Running a Server Action in a test: it either answers with the state its form renders again with, or
// calls next/navigation's redirect(), which throws; the thrown digest carries the target. (Next.js
// answers a form post's redirect with 303 See Other, which the browser tests see.)
export async function actionOutcome<S>(fn: () => Promise<S>): Promise<{ redirect: string } | { state: S }> {
  try {
    return { state: await fn() };
  } catch (err) {
    const m = /^NEXT_REDIRECT;\w+;([^;]+);/.exec((err as { digest?: string }).digest ?? '');
    if (!m) throw err;
    return { redirect: m[1]! };
  }
}
