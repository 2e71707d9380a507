import { Generator, withGenerator } from '../random.js';
import * as nn from '../nn/index.js';
import * as optim from '../optim/index.js';
import type { ActivationSpec, RunConfig } from '../report/results.js';
import type { Tensor } from '../tensor/tensor.js';

function activation(a: ActivationSpec): nn.Module {
  switch (a.name) {
    case 'sigmoid': return new nn.Sigmoid();
    case 'relu': return new nn.ReLU();
    case 'tanh': return new nn.Tanh();
    case 'leakyrelu': return new nn.LeakyReLU(a.slope ?? 0.01);
    case 'gelu': return new nn.GELU();
    case 'silu': return new nn.SiLU();
    case 'elu': return new nn.ELU(a.alpha ?? 1);
  }
}

/**
 * The classifier of a config: Linear(784, hidden) → activation → [LayerNorm(hidden)] → Linear(hidden, 10) →
 * [output activation], initialised as PyTorch does after `torch.manual_seed(seed)` (or drawing from `seed` when it
 * is a generator, e.g. the default one after `manualSeed`).
 */
export function buildModel(config: RunConfig, seed: number | Generator, inputs = 784, classes = 10): nn.Sequential {
  return withGenerator(typeof seed === 'number' ? new Generator(seed) : seed, () => {
    const layers: nn.Module[] = [new nn.Linear(inputs, config.hidden), activation(config.activation)];
    if (config.layerNorm) layers.push(new nn.LayerNorm(config.hidden));
    layers.push(new nn.Linear(config.hidden, classes));
    if (config.outputActivation !== null) layers.push(activation(config.outputActivation));
    return new nn.Sequential(...layers);
  });
}

export function buildLoss(config: RunConfig): nn.Loss {
  return config.loss === 'bce' ? new nn.BCELoss() : new nn.MSELoss();
}

export function buildOptimizer(config: RunConfig, params: Tensor[]): optim.Optimizer {
  const lr = config.lr;
  switch (config.optimizer) {
    case 'sgd': return new optim.SGD(params, { lr });
    case 'adam': return new optim.Adam(params, { lr });
    case 'rmsprop': return new optim.RMSprop(params, { lr });
    case 'adagrad': return new optim.Adagrad(params, { lr });
    case 'nadam': return new optim.NAdam(params, { lr });
    case 'adamax': return new optim.Adamax(params, { lr });
    case 'radam': return new optim.RAdam(params, { lr });
    case 'adadelta': return new optim.Adadelta(params, { lr });
    case 'rprop': return new optim.Rprop(params, { lr });
    case 'asgd': return new optim.ASGD(params, { lr });
  }
}
