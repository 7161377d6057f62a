/**
 * Comm: the training example, whose call reports progress with `send` and asks the main side
 * for its learning rate with `request` every epoch, on every executor.
 */

import { ExitCode } from "@amltk/scheduler";
import { describe, expect, test } from "vitest";
import { collect, example, expectNoWorkersLeft, forEachExecutor } from "./helpers.js";

forEachExecutor(() => {
  describe("training", () => {
    test("progress arrives in order before the result, and the rates answered are the rates used", async () => {
      const { main } = await example<typeof import("../src/training.js")>("training");
      const { lines, log } = collect();
      const { reports, answers, trail, result, exit, scheduler } = await main(log, 6);

      // The schedule: 1.5 makes the loss grow (1 -> 4), so it is halved; 0.75 brings it back
      // to 1, no better than the best, so halved again; 0.375 then keeps improving.
      expect(answers).toEqual([
        { epoch: 1, learningRate: 1.5 },
        { epoch: 2, learningRate: 0.75 },
        { epoch: 3, learningRate: 0.375 },
        { epoch: 4, learningRate: 0.375 },
        { epoch: 5, learningRate: 0.375 },
        { epoch: 6, learningRate: 0.375 },
      ]);
      const rates = answers.map((a) => a.learningRate);

      // Every message, in the order sent, then the result last.
      expect(trail.filter((t) => t.startsWith("message"))).toEqual([1, 2, 3, 4, 5, 6].map((e) => `message ${e}`));
      expect(trail.filter((t) => t.startsWith("request"))).toEqual([1, 2, 3, 4, 5, 6].map((e) => `request ${e}`));
      expect(trail.at(-1)).toBe("result");
      expect(trail.filter((t) => t === "result")).toHaveLength(1);
      // An epoch is reported only after its rate was answered.
      for (let e = 1; e <= 6; e++) expect(trail.indexOf(`request ${e}`)).toBeLessThan(trail.indexOf(`message ${e}`));

      // Each epoch was trained with the rate the main side chose for it.
      expect(reports.map((r) => r.learningRate)).toEqual(rates);
      expect(result?.learningRates).toEqual(rates);
      let weight = 1;
      for (const rate of rates) weight = weight * (1 - 2 * rate);
      expect(result?.weight).toBeCloseTo(weight, 12);
      expect(result?.loss).toBeCloseTo(weight ** 2, 12);
      expect(reports.map((r) => r.loss)).toEqual([4, 1, 0.0625, 0.00390625, 0.000244140625, 0.0000152587890625]);

      expect(lines).toEqual([
        "epoch 1/6: loss 4.0000 (learning rate 1.5)",
        "epoch 2/6: loss 1.0000 (learning rate 0.75)",
        "epoch 3/6: loss 0.0625 (learning rate 0.375)",
        "epoch 4/6: loss 0.0039 (learning rate 0.375)",
        "epoch 5/6: loss 0.0002 (learning rate 0.375)",
        "epoch 6/6: loss 0.0000 (learning rate 0.375)",
        "trained: loss 0.0000, learning rates 1.5, 0.75, 0.375, 0.375, 0.375, 0.375",
      ]);
      const [task] = scheduler.tasks;
      expect(task?.eventCounts.get("message")).toBe(6);
      expect(task?.eventCounts.get("request")).toBe(6);
      expect(exit.code).toBe(ExitCode.EXHAUSTED);
      expectNoWorkersLeft(scheduler);
    });
  });
});
