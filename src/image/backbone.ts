/**
 * The feature-extractor contract of the image classifier (transfer learning by feature extraction):
 * a backbone turns images into fixed-length embeddings, and a head trained on those embeddings
 * learns the classes. The pretrained EfficientNet-Lite0 and the untrained baseline both implement it,
 * so the embedding cache, the head and the notebook never care which one they hold.
 */
import type { RgbImage } from "./transforms";

/** A feature extractor: images of any size in, one `dim`-long embedding per image out. */
export interface Backbone {
  /** Short stable name, used in results and cache keys (`"efficientnet-lite0"`, `"random-conv"`). */
  readonly name: string;
  /** Length of each embedding. */
  readonly dim: number;
  /** Side of the square input the network sees; `embed` resizes images to it. */
  readonly inputSize: number;
  /**
   * Changes whenever the weights or the preprocessing change (for example a hash of the model file
   * and the resize settings): cached embeddings are keyed by image content plus this.
   */
  readonly fingerprint: string;
  /**
   * Embeddings of a batch of images, row-major: row `i` (`dim` floats from `i * dim`) is `images[i]`'s.
   * Resizing and normalisation are the backbone's own business.
   */
  embed(images: readonly RgbImage[]): Promise<Float32Array>;
  /** Frees native resources (sessions, threads). Safe to call twice. */
  close(): Promise<void>;
}
