// A typed builder for workflow definitions, for TypeScript clients and tests: the same shapes as the JSON
// format, checked by the compiler while writing and by `validateDefinition` on `build()`.
import type { Duration } from './durations';
import { validateDefinition } from './validate-definition';
import type {
  ChoiceStep,
  MapStep,
  ParallelStep,
  RetryPolicy,
  Step,
  StepCatch,
  ToolStep,
  WaitStep,
  WorkflowDefinition,
} from './workflow-definition';

interface CommonOptions {
  name?: string;
  catch?: StepCatch;
}

export interface ToolOptions extends CommonOptions {
  retry?: Partial<RetryPolicy>;
  timeout?: Duration;
  idempotent?: boolean;
}

/** `tool('say', 'everything', 'echo', { message: 'hi {{ $input.name }}' })` */
export function tool(
  id: string,
  server: string,
  toolName: string,
  args: Record<string, unknown> = {},
  options: ToolOptions = {},
): ToolStep {
  const { retry, ...rest } = options;
  return { id, type: 'tool', server, tool: toolName, args, ...rest, ...(retry ? { retry: retry as RetryPolicy } : {}) };
}

/** `map('each', '{{ $input.items }}', [tool(…'{{ $item }}'…)], { maxConcurrency: 5 })` — output: one result per item, in order. */
export function map(id: string, items: string, steps: Step[], options: CommonOptions & { maxConcurrency?: number } = {}): MapStep {
  const { maxConcurrency = 10, ...rest } = options;
  return { id, type: 'map', items, maxConcurrency, steps, ...rest };
}

/** `parallel('both', { left: [...], right: [...] })` — output: { left: …, right: … }. */
export function parallel(id: string, branches: Record<string, Step[]>, options: CommonOptions = {}): ParallelStep {
  return { id, type: 'parallel', branches, ...options };
}

/** `choice('pick', [when('{{ $input.n > 1 }}', [...])], { otherwise: [...] })` */
export function choice(id: string, choices: ChoiceStep['choices'], options: CommonOptions & { otherwise?: Step[] } = {}): ChoiceStep {
  const { otherwise, ...rest } = options;
  return { id, type: 'choice', choices, ...(otherwise ? { default: otherwise } : {}), ...rest };
}

export function when(condition: string, steps: Step[]): ChoiceStep['choices'][number] {
  return { when: condition, steps };
}

export function wait(id: string, duration: Duration, options: CommonOptions = {}): WaitStep {
  return { id, type: 'wait', duration, ...options };
}

export class WorkflowBuilder {
  private readonly steps: Step[] = [];
  private outputTemplate: unknown;
  private inputSchema: Record<string, unknown> | undefined;

  input(schema: Record<string, unknown>): this {
    this.inputSchema = schema;
    return this;
  }

  step(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  output(template: unknown): this {
    this.outputTemplate = template;
    return this;
  }

  /** Validates (ids, references, expressions, shapes) and returns the definition with defaults filled in. */
  build(): WorkflowDefinition {
    return validateDefinition({
      steps: this.steps,
      ...(this.inputSchema ? { input: this.inputSchema } : {}),
      ...(this.outputTemplate !== undefined ? { output: this.outputTemplate } : {}),
    });
  }
}

export const workflow = (): WorkflowBuilder => new WorkflowBuilder();
