/** A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise. */
export class ProgressBar {
  private readonly total: number;
  private readonly interactive: boolean;
  private readonly write: (text: string) => void;
  private lastTenth = -1;
  private drawn = false;

  constructor(total: number, interactive: boolean, write: (text: string) => void) {
    this.total = total;
    this.interactive = interactive;
    this.write = write;
  }

  /** Shows `done` of the total (bytes), with a note (what was done so far). */
  update(done: number, note: string): void {
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 0;
    if (this.interactive) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const percent = this.total > 0 ? `${String(Math.floor(fraction * 100)).padStart(3)}% ` : '';
      this.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${percent}${note}\u001b[K`);
      this.drawn = true;
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.write(`${this.total > 0 ? `${tenth * 10}%: ` : ''}${note}\n`);
    }
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.drawn) this.write('\n');
  }
}
