// Types for scripts/uncertainties.mjs, which the docs build runs as plain JavaScript.
export interface ContractUncertainty {
  /** Where, for a reader: "socialize.login › parameter `finalizeRegistration`". */
  where: string;
  /** JSON pointer of the marked node in the bundled contract. */
  pointer: string;
  /** The text after each "Uncertain:" mark, up to the end of its sentence. */
  statements: string[];
  /** The node's x-uncertain notes: what is known, one per mark. */
  known: unknown[];
}
export interface IntroductionUncertainty {
  /** The heading the statement stands under. */
  where: string;
  statement: string;
}
export const MARK: string;
export function statementsIn(text: string, mark?: string): string[];
export function contractUncertainties(contract: unknown): ContractUncertainty[];
export function introductionUncertainties(markdown: string): IntroductionUncertainty[];
export function markProblems(contract: unknown, introduction: string): string[];
export function uncertaintiesMarkdown(contract: unknown, introduction: string): string;
