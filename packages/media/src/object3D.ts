import { readFile } from 'node:fs/promises';
import type { MediaRef, MediaWriteContext } from '@runlog/core';
import { MediaInvalidError } from './errors/mediaInvalidError.js';
import { Media } from './media.js';
import { openSourceFile } from './sourceFile.js';

export type Object3DFormat = 'glb' | 'gltf' | 'obj';
const FORMATS: readonly string[] = ['glb', 'gltf', 'obj'];

export interface Object3DOptions {
  /** Required for bytes; taken from the file extension for a path. */
  format?: Object3DFormat;
  caption?: string;
}

/**
 * A 3D object (glTF, GLB or OBJ), passed through unchanged.
 * @example
 * run.log({ mesh: new Object3D('out/reconstruction.glb', { caption: 'epoch 10' }) });
 */
export class Object3D extends Media {
  readonly mediaKind = 'object3D';
  readonly format: Object3DFormat;
  readonly caption?: string;
  readonly #path?: string;
  readonly #bytes?: Uint8Array;

  constructor(data: string | Uint8Array, options: Object3DOptions = {}) {
    super();
    let head: Uint8Array;
    let format = options.format;
    if (typeof data === 'string') {
      const file = openSourceFile(data, 'Object3D', 64);
      format ??= file.ext as Object3DFormat;
      this.#path = data;
      head = file.head;
    } else if (data instanceof Uint8Array) {
      this.#bytes = new Uint8Array(data);
      head = data.subarray(0, 64);
    } else {
      throw new MediaInvalidError('Object3D: expected a file path or the bytes of a glTF, GLB or OBJ file');
    }
    if (!format || !FORMATS.includes(format)) {
      throw new MediaInvalidError(`Object3D: format must be 'glb', 'gltf' or 'obj', got ${String(format)}`);
    }
    checkContent(format, head);
    this.format = format;
    if (options.caption !== undefined) this.caption = String(options.caption);
  }

  async toMediaRef(context: MediaWriteContext): Promise<MediaRef> {
    const bytes = this.#bytes ?? new Uint8Array(await readFile(this.#path!));
    const file = await context.writeMediaFile('object3D', this.format, bytes);
    const ref: MediaRef = { _type: 'object3D-file', ...file, format: this.format };
    if (this.caption !== undefined) ref.caption = this.caption;
    return ref;
  }
}

function checkContent(format: Object3DFormat, head: Uint8Array): void {
  const text = new TextDecoder().decode(head);
  const ok =
    format === 'glb'
      ? text.startsWith('glTF')
      : format === 'gltf'
        ? text.trimStart().startsWith('{')
        : !text.includes('\0');
  if (!ok) throw new MediaInvalidError(`Object3D: the content is not a ${format.toUpperCase()} file`);
}
