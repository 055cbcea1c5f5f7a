// Thrown for any selector the API server would refuse; the message is what Kubernetes would say,
// so the HTTP layer can pass it through as a 400 Status unchanged.
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}
