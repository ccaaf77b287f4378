/**
 * `files.pick({ accept, prompt })` in a cell: asks the page for a file with an
 * `input_request` and resolves when the matching `input_reply` arrives. Cancelling rejects
 * with a plain Error ("No file was chosen"); Stop rejects every pending request.
 */
import type { InputReply, InputRequest, PickedFile } from '../contract/protocol';

/** The file a cell receives from `files.pick()`: the picked file (name, MIME type, bytes) and a UTF-8 decoder. */
export interface CellFile extends PickedFile {
  /** The bytes decoded as UTF-8. */
  text(): string;
}

/** Options of `files.pick()`: the file input's `accept` attribute and the prompt shown to the reader. */
export interface PickOptions {
  accept?: string;
  prompt?: string;
}

interface Pending {
  resolve(file: CellFile): void;
  reject(error: Error): void;
}

/**
 * The kernel's pending `files.pick()` calls: `pick` posts an `input_request` and returns a
 * promise, `reply` settles it from the page's `input_reply`, `cancelAll` rejects every pending one
 * (Stop).
 */
export class FileRequests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (msg: InputRequest) => void) {}

  pick(runId: number, options: PickOptions = {}): Promise<CellFile> {
    const requestId = this.nextId++;
    const promise = new Promise<CellFile>((resolve, reject) => this.pending.set(requestId, { resolve, reject }));
    this.post({
      type: 'input_request',
      runId,
      requestId,
      prompt: options.prompt ?? 'Choose a file',
      accept: options.accept ?? '',
    });
    return promise;
  }

  reply(msg: InputReply): void {
    const p = this.pending.get(msg.requestId);
    if (!p) return;
    this.pending.delete(msg.requestId);
    if (!msg.file) {
      p.reject(new Error('No file was chosen'));
      return;
    }
    const { name, type, bytes } = msg.file;
    p.resolve({ name, type, bytes, text: () => new TextDecoder().decode(bytes) });
  }

  /** Rejects every pending request (the run was stopped). */
  cancelAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
