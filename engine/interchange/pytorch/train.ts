/**
 * train.py: the document's training run in PyTorch — the same losses, optimizer, hyperparameters,
 * learning-rate schedule, batch size, run length and seed — single-process or data-parallel
 * (DistributedDataParallel on gloo, started by `--ddp N` or by torchrun).
 */
import type { GraphDocument } from '../../graph/document';
import { getNodeSpec } from '../../graph/nodes';
import type { OptimizerConfig, ScheduleConfig } from '../../graph/training';
import { ExportError } from '../onnx/export';
import type { LossInfo, ModelInfo } from './model';
import { pyComment, pyFloat, pyStr } from './python';

/** The torch.optim constructor with Wiregrad's hyperparameters (engine/nn/optimizers.ts follows PyTorch's formulas). */
function optimizer(cfg: OptimizerConfig, lr: number): string {
  const wd = pyFloat(cfg.weightDecay);
  switch (cfg.type) {
    // Coupled weight decay (added to the gradient) in all but AdamW, as in torch.optim.
    case 'sgd':
      return `torch.optim.SGD(params, lr=${pyFloat(lr)}, momentum=${pyFloat(cfg.momentum)}, nesterov=${cfg.nesterov && cfg.momentum > 0 ? 'True' : 'False'}, weight_decay=${wd})`;
    case 'adam':
      return `torch.optim.Adam(params, lr=${pyFloat(lr)}, betas=(${pyFloat(cfg.beta1)}, ${pyFloat(cfg.beta2)}), eps=${pyFloat(cfg.eps)}, weight_decay=${wd})`;
    case 'adamw':
      return `torch.optim.AdamW(params, lr=${pyFloat(lr)}, betas=(${pyFloat(cfg.beta1)}, ${pyFloat(cfg.beta2)}), eps=${pyFloat(cfg.eps)}, weight_decay=${wd})`;
    case 'rmsprop':
      return `torch.optim.RMSprop(params, lr=${pyFloat(lr)}, alpha=${pyFloat(cfg.rho)}, eps=${pyFloat(cfg.eps)}, momentum=${pyFloat(cfg.momentum)}, weight_decay=${wd})`;
    case 'adagrad':
      return `torch.optim.Adagrad(params, lr=${pyFloat(lr)}, eps=${pyFloat(cfg.eps)}, initial_accumulator_value=${pyFloat(cfg.initialAccumulator)}, weight_decay=${wd})`;
    default:
      return cfg satisfies never;
  }
}

/** lr_at(step) as engine/nn/schedules.ts computes it (0-based step, linear warm-up first). */
function schedule(s: ScheduleConfig): string[] {
  const lines = ['def lr_at(step):', '    """The learning rate of 0-based step `step` (engine/nn/schedules.ts)."""'];
  if (s.warmupSteps > 0) lines.push(`    if step < ${s.warmupSteps}:`, `        return LR * (step + 1) / ${s.warmupSteps}`);
  if (s.type !== 'constant') lines.push(s.warmupSteps > 0 ? `    s = step - ${s.warmupSteps}` : '    s = step');
  switch (s.type) {
    case 'constant':
      lines.push('    return LR');
      break;
    case 'step':
      lines.push(`    return LR * ${pyFloat(s.gamma)} ** (s // ${s.stepSize})`);
      break;
    case 'exponential':
      lines.push(`    return LR * ${pyFloat(s.gamma)} ** (s / ${s.decaySteps})`);
      break;
    case 'cosine':
      lines.push(`    return ${pyFloat(s.minLr)} + (LR - ${pyFloat(s.minLr)}) * 0.5 * (1 + math.cos(math.pi * min(s, ${s.totalSteps}) / ${s.totalSteps}))`);
      break;
    default:
      s satisfies never;
  }
  return lines;
}

/** One loss term as Wiregrad's loss node computes it. */
function lossTerm(loss: LossInfo, pred: string, target: string): string {
  switch (loss.type) {
    case 'MSELoss':
      return `F.mse_loss(${pred}, ${target}.float())`;
    case 'SumSquaresLoss':
      return `F.mse_loss(${pred}, ${target}.float(), reduction="sum")`;
    case 'L1Loss':
      return `F.l1_loss(${pred}, ${target}.float())`;
    case 'BinaryCrossEntropy':
      return `F.binary_cross_entropy_with_logits(${pred}, ${target}.float())`;
    case 'SoftmaxCrossEntropy':
      // Averaged over every position but the class axis; sparse labels may be [batch] or [batch, 1].
      return loss.params.labels === 'onehot'
        ? `F.cross_entropy(${pred}.reshape(-1, ${pred}.shape[-1]), ${target}.float().reshape(-1, ${pred}.shape[-1]))`
        : `F.cross_entropy(${pred}.reshape(-1, ${pred}.shape[-1]), ${target}.long().reshape(-1))`;
    default:
      throw new ExportError(`${loss.type} has no PyTorch form`, loss.node);
  }
}

/** train.py for the document whose model.py `model` describes. */
export function trainPy(doc: GraphDocument, model: ModelInfo): string {
  const t = doc.training;
  if (!model.losses.length) throw new ExportError('the graph has no loss to train');
  const sums = model.losses.filter((l) => getNodeSpec(l.type)?.sumsOverBatch === true).length;
  if (sums && sums !== model.losses.length)
    throw new ExportError('train.py cannot mix a summed loss (SumSquaresLoss) with averaged ones', model.losses[0]!.node);
  const several = model.outputs.length > 1;
  const terms = model.losses.map((l) => `${lossTerm(l, several ? `outputs[${l.pred}]` : 'outputs', `batch[${pyStr(l.targetField)}]`)}  # ${pyComment(l.node)}`);
  return [
    '#!/usr/bin/env python3',
    `"""Train ${pyComment(doc.meta.name || 'the model')} as Wiregrad would: exported from Wiregrad with model.py.`,
    '',
    'python3 train.py --data data.npz              # a file holding the dataset fields (npz or safetensors)',
    'python3 train.py --batches batches.safetensors  # exact batches: tensors <step>.<field>',
    'python3 train.py --ddp 2 ...                  # data-parallel on 2 CPU processes (gloo); torchrun works too',
    "--weights w.safetensors starts from Wiregrad's weights (else PyTorch's own initialisation);",
    '--out writes the trained weights in Wiregrad\'s naming. Each step prints one JSON line {"step", "loss", "lr"}.',
    '"""',
    'import argparse',
    'import json',
    'import math',
    'import os',
    'import socket',
    '',
    'import torch',
    'import torch.distributed as dist',
    'import torch.multiprocessing as mp',
    'import torch.nn.functional as F',
    'from torch.nn.parallel import DistributedDataParallel',
    'from torch.utils.data import DataLoader, DistributedSampler, RandomSampler, TensorDataset',
    '',
    'from model import INPUTS, Model, load_wiregrad_weights, read_safetensors, wiregrad_weights, write_safetensors',
    '',
    `LR = ${pyFloat(t.lr)}`,
    `BATCH_SIZE = ${t.batchSize}`,
    `EPOCHS = ${t.epochs}`,
    `STEPS = ${t.steps ?? 'None'}  # when set, exactly this many steps instead of EPOCHS`,
    `SEED = ${t.seed}`,
    '# Every dataset field the model or the loss reads, with its Wiregrad dtype.',
    `FIELDS = {${model.fields.map((f) => `${pyStr(f.field)}: ${pyStr(f.dtype)}`).join(', ')}}`,
    `# The loss is ${sums ? 'summed over the batch, so data-parallel ranks add theirs' : 'a mean over the batch, so data-parallel ranks average theirs'}.`,
    `SUMS_OVER_BATCH = ${sums ? 'True' : 'False'}`,
    '',
    '',
    ...schedule(t.schedule),
    '',
    '',
    'def make_optimizer(params):',
    `    return ${optimizer(t.optimizer, t.lr)}`,
    '',
    '',
    'def compute_loss(outputs, batch):',
    '    return (',
    ...terms.map((term, i) => `        ${i ? '+ ' : ''}${term}`),
    '    )',
    '',
    '',
    PY_RUNNER,
  ].join('\n');
}

/** The part of train.py that does not depend on the document. */
const PY_RUNNER = `def as_field(name, tensor):
    """A field as the model and loss take it: float32, or int64 for integer fields."""
    return tensor.float() if FIELDS[name] == "f32" else tensor.long()


def load_fields(path):
    """Every field of a .npz or .safetensors file."""
    if path.endswith(".npz"):
        import numpy as np
        with np.load(path) as data:
            return {name: as_field(name, torch.from_numpy(data[name])) for name in FIELDS}
    tensors = read_safetensors(path)
    return {name: as_field(name, tensors[name]) for name in FIELDS}


def batches_from_file(path):
    """Exact batches from tensors named <step>.<field>, in step order."""
    tensors = read_safetensors(path)
    steps = sorted({int(name.split(".", 1)[0]) for name in tensors})
    return [{name: as_field(name, tensors[f"{step}.{name}"]) for name in FIELDS} for step in steps]


def share(value, rank, world):
    """Rank \`rank\`'s rows of a whole batch."""
    if len(value) % world:
        raise SystemExit(f"a batch of {len(value)} does not split over {world} processes")
    size = len(value) // world
    return value[rank * size:(rank + 1) * size]


def batches_from_data(fields, rank, world):
    """The run's batches from a dataset, shuffled with SEED; each rank takes its share of every batch."""
    data = TensorDataset(*(fields[name] for name in FIELDS))
    if world > 1:
        sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=SEED, drop_last=True)
    else:
        sampler = RandomSampler(data, generator=torch.Generator().manual_seed(SEED))
    loader = DataLoader(data, batch_size=BATCH_SIZE // world, sampler=sampler, drop_last=True)
    steps = STEPS if STEPS is not None else EPOCHS * (len(data) // BATCH_SIZE)
    epoch, done = 0, 0
    while done < steps:
        if world > 1:
            sampler.set_epoch(epoch)
        for values in loader:
            if done == steps:
                break
            yield dict(zip(FIELDS, values))
            done += 1
        epoch += 1


def train(rank, world, args):
    distributed = world > 1
    torch.manual_seed(SEED)
    if distributed:
        torch.set_num_threads(1)
        if BATCH_SIZE % world:
            raise SystemExit(f"batch size {BATCH_SIZE} does not split over {world} processes")
    model = Model()
    if args.weights:
        load_wiregrad_weights(model, args.weights)
    net = DistributedDataParallel(model) if distributed else model
    # Layers frozen in Wiregrad (Trainable off) have requires_grad False: no optimizer state for them.
    optimizer = make_optimizer([p for p in model.parameters() if p.requires_grad])
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: lr_at(step) / LR)
    if args.batches:
        batches = [{name: share(value, rank, world) for name, value in batch.items()} for batch in batches_from_file(args.batches)]
        if args.steps is not None:
            batches = batches[:args.steps]
    else:
        batches = batches_from_data(load_fields(args.data), rank, world)
    net.train()
    for step, batch in enumerate(batches):
        lr = optimizer.param_groups[0]["lr"]
        optimizer.zero_grad()
        loss = compute_loss(net(**{name: batch[name] for name in INPUTS}), batch)
        # DistributedDataParallel averages gradients over ranks: a summed loss must be scaled back up.
        (loss * world if SUMS_OVER_BATCH else loss).backward()
        optimizer.step()
        schedule.step()
        total = loss.detach().clone()
        if distributed:
            dist.all_reduce(total)
            if not SUMS_OVER_BATCH:
                total /= world
        if rank == 0:
            print(json.dumps({"step": step + 1, "loss": total.item(), "lr": lr}), flush=True)
    if rank == 0 and args.out:
        write_safetensors(args.out, wiregrad_weights(model), {"format": "wiregrad"})


def spawned(rank, world, args):
    dist.init_process_group("gloo", rank=rank, world_size=world)
    try:
        train(rank, world, args)
    finally:
        dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", help="dataset fields (.npz or .safetensors)")
    source.add_argument("--batches", help="exact batches (.safetensors, tensors <step>.<field>)")
    parser.add_argument("--weights", help="initial weights written by Wiregrad (.safetensors)")
    parser.add_argument("--out", default="weights.safetensors", help="where to write the trained weights")
    parser.add_argument("--steps", type=int, help="with --batches, use only the first STEPS")
    parser.add_argument("--ddp", type=int, default=1, help="data-parallel processes (gloo, CPU)")
    args = parser.parse_args()
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        # Started by torchrun: it set RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT.
        spawned(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), args)
    elif args.ddp > 1:
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        if "MASTER_PORT" not in os.environ:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                os.environ["MASTER_PORT"] = str(s.getsockname()[1])
        mp.spawn(spawned, args=(args.ddp, args), nprocs=args.ddp, join=True)
    else:
        train(0, 1, args)


if __name__ == "__main__":
    main()
`;
