// pino-roll 4 ships no type declarations; this covers the part Kairos uses.
declare module 'pino-roll' {
  export interface PinoRollOptions {
    file: string;
    frequency?: 'daily' | 'hourly' | number;
    /** A number is megabytes; strings take a k/m/g unit, e.g. '10m'. */
    size?: string | number;
    extension?: string;
    dateFormat?: string;
    limit?: { count: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    minLength?: number;
  }
  /** The SonicBoom stream pino-roll returns (only the members Kairos calls). */
  export interface RollingStream {
    write(data: string): boolean;
    flush(callback: (err?: Error) => void): void;
    end(): void;
    readonly destroyed: boolean;
    on(event: 'error', listener: (err: Error) => void): this;
    once(event: 'close', listener: () => void): this;
  }
  export default function build(options: PinoRollOptions): Promise<RollingStream>;
}
