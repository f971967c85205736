// Every public export carries a doc comment (what an editor shows on hover): the exports of each entry the
// packages' package.json files name, followed through re-exports to their declarations.
import ts from 'typescript';
import { expect, test } from 'vitest';

const ENTRIES = ['src/index.ts', 'src/index.node.ts', 'src/lite.ts', 'src/web-sdk.ts', 'src/mock/index.ts'];

/** `entry name` for each export of the entries that has no doc comment. */
function undocumentedExports(): string[] {
  const program = ts.createProgram(ENTRIES, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const entry of ENTRIES) {
    const file = program.getSourceFile(entry);
    const module = file && checker.getSymbolAtLocation(file);
    if (!module) throw new Error(`${entry}: not found or not a module`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() === '') missing.push(`${entry} ${exported.getName()}`);
    }
  }
  return missing;
}

test('every public export has a doc comment', () => {
  expect(undocumentedExports()).toEqual([]);
});
