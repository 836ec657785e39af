/**
 * The wasm backend for the examples, in Node: the .wasm binaries are read from the package's dist folder, and
 * the one kernel tfjs-backend-wasm 4.22 lacks for training convolutions, Conv2DBackpropFilter (the gradient of a
 * conv's filter), is filled in with ops wasm has (strided slices + matMul), so small CNNs train on wasm too.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let prepared = false;

export async function useWasmBackend(): Promise<void> {
  if (!prepared) {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
      tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
    }
    prepared = true;
  }
  await tf.setBackend('wasm');
  await tf.ready();
}

interface FilterGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  filterShape: [number, number, number, number];
}

/** dW[i, j, :, :] = window(x, i, j)^T . dy over every batch and output position (NHWC, no dilation). */
function conv2dBackpropFilter({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }) {
  const { strides, pad, dataFormat, filterShape } = attrs as unknown as FilterGradAttrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on wasm: only NHWC is supported');
  const engine = tf.engine();
  const x = engine.makeTensorFromTensorInfo(inputs.x!) as tf.Tensor4D;
  const dy = engine.makeTensorFromTensorInfo(inputs.dy!) as tf.Tensor4D;
  try {
    return tf.tidy(() => {
      const [fh, fw, ci, co] = filterShape;
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      const [, oh, ow] = dy.shape;
      const [batch, ih, iw] = x.shape;
      let padded: tf.Tensor4D = x;
      if (pad === 'same') {
        const ph = Math.max((oh - 1) * sh + fh - ih, 0);
        const pw = Math.max((ow - 1) * sw + fw - iw, 0);
        const top = Math.floor(ph / 2);
        const left = Math.floor(pw / 2);
        padded = tf.pad(x, [
          [0, 0],
          [top, ph - top],
          [left, pw - left],
          [0, 0],
        ]);
      } else if (typeof pad === 'number') {
        padded = tf.pad(x, [
          [0, 0],
          [pad, pad],
          [pad, pad],
          [0, 0],
        ]);
      }
      const dyRows = tf.reshape(dy, [-1, co]);
      const taps: tf.Tensor[] = [];
      for (let i = 0; i < fh; i++) {
        for (let j = 0; j < fw; j++) {
          const end = [batch, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, ci];
          const window = tf.stridedSlice(padded, [0, i, j, 0], end, [1, sh, sw, 1]);
          taps.push(tf.matMul(tf.reshape(window, [-1, ci]), dyRows, true, false));
        }
      }
      return tf.reshape(tf.stack(taps), filterShape);
    });
  } finally {
    // These wrappers added a reference to tfjs's own input tensors; drop it (the inputs stay alive).
    x.dispose();
    dy.dispose();
  }
}
