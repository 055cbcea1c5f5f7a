// Recursive-descent parser for `labelSelector=` query strings ("app=web,tier in (a,b),!canary").
// Error texts follow the API server's, including which ones carry the
// "unable to parse requirement:" prefix, because kubectl prints them as the server sends them.

import { lexLabelSelector, type Token } from './label-lexer.js';
import { invalidValue, labelKeyProblems } from './label-validation.js';
import { newRequirement, sortByKey, type LabelOperator, type LabelRequirement } from './requirement.js';
import { SelectorError } from './selector-error.js';

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

const OPERATOR_TOKENS: Partial<Record<Token['type'], LabelOperator>> = {
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

/** Errors inside one requirement, which the top level reports with a prefix. */
class RequirementError extends Error {}

/** Where "in"/"notin" are read as words (keys and values) rather than operators. */
type Context = 'operator' | 'value';

class LabelSelectorParser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const token = this.peek('value');
      if (token.type === 'end') return requirements;
      if (token.type !== 'identifier' && token.type !== '!') {
        throw new SelectorError(`found '${token.literal}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.requirement());
      const after = this.next('value');
      if (after.type === 'end') return requirements;
      if (after.type !== ',') throw new SelectorError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.peek('value');
      if (following.type !== 'identifier' && following.type !== '!') {
        throw new SelectorError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    try {
      return this.requirementBody();
    } catch (error) {
      if (error instanceof RequirementError || error instanceof SelectorError) {
        throw new SelectorError(`unable to parse requirement: ${error.message}`);
      }
      throw error;
    }
  }

  private requirementBody(): LabelRequirement {
    let token = this.next('value');
    const negated = token.type === '!';
    if (negated) token = this.next('value');
    if (token.type !== 'identifier') throw new RequirementError(`found '${token.literal}', expected: identifier`);
    const key = token.literal;
    const keyProblems = labelKeyProblems(key);
    // The server validates the key with no field path, which Go prints as "<nil>".
    if (keyProblems.length > 0) throw new RequirementError(invalidValue('<nil>', key, keyProblems.join('; ')));

    // "!key" never takes an operator; whatever follows is the top level's problem.
    if (negated) return newRequirement(key, '!', []);
    const lookahead = this.peek('value').type;
    if (lookahead === 'end' || lookahead === ',') return newRequirement(key, 'exists', []);

    const operatorToken = this.next('operator');
    const operator = OPERATOR_TOKENS[operatorToken.type];
    if (!operator) throw new RequirementError(`found '${operatorToken.literal}', expected: ${BINARY_OPERATORS}`);
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    // Values form a set: duplicates collapse and order is sorted before validation indexes them.
    return newRequirement(key, operator, [...new Set(values)].sort());
  }

  private valueSet(): string[] {
    const open = this.next('value');
    if (open.type !== '(') throw new RequirementError(`found '${open.literal}' expected: '('`);
    const first = this.peek('value');
    if (first.type === ')') {
      this.next('value');
      // "()" is accepted and means the single empty value.
      return [''];
    }
    if (first.type !== 'identifier' && first.type !== ',') {
      throw new RequirementError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.valueList();
    this.next('value'); // the ")" valueList stopped at
    return values;
  }

  /** Comma-separated values where an empty slot (",,", "(,", ",)") stands for "". */
  private valueList(): string[] {
    const values: string[] = [];
    for (;;) {
      const token = this.next('value');
      if (token.type === 'identifier') {
        values.push(token.literal);
        const after = this.peek('value');
        if (after.type === ')') return values;
        if (after.type !== ',') throw new RequirementError(`found '${after.literal}', expected: ',' or ')'`);
        continue;
      }
      if (token.type !== ',') throw new RequirementError(`found '${token.literal}', expected: ',', or identifier`);
      if (values.length === 0) values.push('');
      const after = this.peek('value');
      if (after.type === ')') {
        values.push('');
        return values;
      }
      if (after.type === ',') {
        this.next('value');
        values.push('');
      }
    }
  }

  private exactValue(): string[] {
    const token = this.peek('value');
    // "key=" compares with the empty value.
    if (token.type === 'end' || token.type === ',') return [''];
    this.next('value');
    if (token.type !== 'identifier') throw new RequirementError(`found '${token.literal}', expected: identifier`);
    return [token.literal];
  }

  private peek(context: Context): Token {
    return this.read(this.pos, context);
  }

  private next(context: Context): Token {
    const token = this.read(this.pos, context);
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  private read(index: number, context: Context): Token {
    const token = this.tokens[index] as Token;
    if (context === 'value' && (token.type === 'in' || token.type === 'notin')) return { type: 'identifier', literal: token.literal };
    return token;
  }
}

/** Parses a label selector query string into requirements ordered by key. */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  return sortByKey(new LabelSelectorParser(lexLabelSelector(text)).parse());
}
