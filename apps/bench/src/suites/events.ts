/**
 * Suite "events": emits per second of `@amltk/events` beside `node:events` EventEmitter with
 * the same listeners, and of ours with callback options, so both the gap to Node and the
 * cost of each option are visible. Target (the issue's): ours at least half of node:events
 * for handlers without options.
 */

import { EventEmitter } from "node:events";
import { Emitter, Event, type CallbackOptions } from "@amltk/events";
import { measureSync, type Summary } from "../harness.js";
import { formatMillions, formatRatio, formatSpread, passFail, printTable, type Print } from "../report.js";
import type { Suite } from "../suite.js";

const TICK = new Event<[number]>("tick");

/**
 * Every listener adds into this, and each case checks afterwards that exactly the expected
 * number of callback calls happened, so no emit can be optimised away or silently skipped.
 */
const sink = { calls: 0, sum: 0 };

/** Distinct closures, as distinct handlers are in an application; the same ones serve both emitters. */
function makeListener(): (x: number) => void {
  return (x) => {
    sink.calls++;
    sink.sum += x;
  };
}

type Impl = "node" | "ours";

interface Case {
  readonly id: string;
  readonly impl: Impl;
  readonly label: string;
  readonly listeners: number;
  /** Options as shown in the table; "" for none. */
  readonly options: string;
  /** Callback calls per emit, to check the sink against. */
  readonly callsPerEmit: number;
  /** Builds the emitter and returns a loop of `n` emits. */
  readonly setup: () => (n: number) => void;
}

/** What one case measured. */
export interface EventsResult {
  readonly rate: Summary;
  /** Listener calls made, all checked against the expected count. */
  readonly calls: number;
  /** What the listeners added up, printed so the work has a visible output. */
  readonly sum: number;
}

function nodeCase(listeners: number): Case {
  return {
    id: `node-${listeners}`,
    impl: "node",
    label: "node:events EventEmitter",
    listeners,
    options: "",
    callsPerEmit: listeners,
    setup() {
      const emitter = new EventEmitter();
      for (let k = 0; k < listeners; k++) emitter.on("tick", makeListener());
      return (n) => {
        for (let i = 0; i < n; i++) emitter.emit("tick", i);
      };
    },
  };
}

function oursCase(
  id: string,
  listeners: number,
  options?: CallbackOptions,
  shown = "",
  callsPerEmit = listeners,
): Case {
  return {
    id,
    impl: "ours",
    label: "@amltk/events Emitter",
    listeners,
    options: shown,
    callsPerEmit,
    setup() {
      const emitter = new Emitter();
      for (let k = 0; k < listeners; k++) emitter.on(TICK, makeListener(), options);
      return (n) => {
        for (let i = 0; i < n; i++) emitter.emit(TICK, i);
      };
    },
  };
}

/** The two other ways to emit. */
function oursByNameCase(): Case {
  return {
    id: "ours-1-by-name",
    impl: "ours",
    label: "@amltk/events, emit by name",
    listeners: 1,
    options: "",
    callsPerEmit: 1,
    setup() {
      const emitter = new Emitter<{ tick: [number] }>();
      emitter.on(TICK, makeListener());
      return (n) => {
        for (let i = 0; i < n; i++) emitter.emit("tick", i);
      };
    },
  };
}

function oursSubscriberCase(): Case {
  return {
    id: "ours-1-subscriber",
    impl: "ours",
    label: "@amltk/events, Subscriber.emit",
    listeners: 1,
    options: "",
    callsPerEmit: 1,
    setup() {
      const onTick = new Emitter().subscriber(TICK);
      onTick(makeListener());
      return (n) => {
        for (let i = 0; i < n; i++) onTick.emit(i);
      };
    },
  };
}

const always = () => true;
const LARGE = 1e12;

const cases: readonly Case[] = [
  nodeCase(1),
  oursCase("ours-1", 1),
  nodeCase(5),
  oursCase("ours-5", 5),
  oursByNameCase(),
  oursSubscriberCase(),
  oursCase("ours-1-name-hidden", 1, { name: "tick", hidden: true }, "name, hidden"),
  oursCase("ours-1-maxCalls", 1, { maxCalls: LARGE }, "maxCalls: 1e12"),
  oursCase("ours-1-when", 1, { when: always }, "when: () => true"),
  oursCase("ours-1-every", 1, { every: 2 }, "every: 2", 0.5),
  oursCase("ours-1-all", 1, { every: 2, when: always, maxCalls: LARGE }, "every: 2, when, maxCalls", 0.5),
  oursCase("ours-5-maxCalls", 5, { maxCalls: LARGE }, "maxCalls: 1e12"),
];

const SYNC_OPTIONS = { warmupMs: 150, sampleMs: 60, samples: 9 } as const;

async function runCase(id: string): Promise<EventsResult> {
  const c = cases.find((k) => k.id === id);
  if (c === undefined) throw new Error(`No events case "${id}"; cases: ${cases.map((k) => k.id).join(", ")}.`);
  const loop = c.setup();
  let emits = 0;
  const callsBefore = sink.calls;
  const sumBefore = sink.sum;
  const rate = measureSync((n) => {
    emits += n;
    loop(n);
  }, SYNC_OPTIONS);
  const calls = sink.calls - callsBefore;
  if (calls !== emits * c.callsPerEmit) {
    throw new Error(`${c.label} (${c.options || "no options"}): ${emits} emits made ${calls} calls, expected ${emits * c.callsPerEmit}.`);
  }
  return { rate, calls, sum: sink.sum - sumBefore };
}

function report(results: ReadonlyMap<string, EventsResult>, out: Print): boolean {
  const measured = cases.flatMap((c) => {
    const r = results.get(c.id);
    return r === undefined ? [] : [{ c, ...r }];
  });
  const rateOf = (id: string) => results.get(id)?.rate.median;
  const targets: Array<{ listeners: number; ratio: number }> = [];
  const rows = measured.map(({ c, rate }) => {
    const node = rateOf(`node-${c.listeners}`);
    const plain = rateOf(`ours-${c.listeners}`);
    const vsNode = c.impl === "ours" && node !== undefined ? rate.median / node : undefined;
    const isHeadline = c.id === `ours-${c.listeners}`;
    if (isHeadline && vsNode !== undefined) targets.push({ listeners: c.listeners, ratio: vsNode });
    const optionCost = c.options !== "" && plain !== undefined ? rate.median / plain : undefined;
    return [
      c.label,
      String(c.listeners),
      c.options || "-",
      formatMillions(rate.median),
      formatSpread(rate),
      vsNode === undefined ? "-" : formatRatio(vsNode),
      optionCost === undefined ? "-" : formatRatio(optionCost),
      isHeadline && vsNode !== undefined ? passFail(vsNode >= 0.5) : "",
    ];
  });
  const pass = targets.length > 0 && targets.every((t) => t.ratio >= 0.5);
  const calls = measured.reduce((total, m) => total + m.calls, 0);
  const sum = measured.reduce((total, m) => total + m.sum, 0);
  printTable(
    "Emits per second, one numeric argument per emit",
    [
      { header: "emitter" },
      { header: "listeners", align: "right" },
      { header: "options" },
      { header: "emits/s", align: "right" },
      { header: "spread", align: "right" },
      { header: "ours/node", align: "right" },
      { header: "vs no options", align: "right" },
      { header: ">= 0.5x node" },
    ],
    rows,
    [
      `Each row is measured in a fresh process: median of ${SYNC_OPTIONS.samples} samples of ~${SYNC_OPTIONS.sampleMs} ms after ${SYNC_OPTIONS.warmupMs} ms of warm-up; spread = (max - min) / median.`,
      "ours/node: our emits/s over node:events' with the same number of listeners (node has no options).",
      "vs no options: ours with the options over ours with the same listeners and none (the cost of the options).",
      `Sink check: ${calls.toLocaleString("en-US")} listener calls, each case's count checked against emits x listeners (x 1/2 for every: 2); they summed their arguments to ${sum.toExponential(4)}.`,
      targets.length === 0
        ? "Target, ours >= 0.5x node:events without options: not measured (filtered out)."
        : `Target, ours >= 0.5x node:events without options: ${passFail(pass)} (${targets
            .map((t) => `${t.listeners} listener${t.listeners === 1 ? "" : "s"} ${formatRatio(t.ratio)}`)
            .join(", ")}).`,
    ],
    out,
  );
  return pass;
}

/** The events suite. */
export const eventsSuite: Suite<EventsResult> = {
  name: "events",
  title: "events: @amltk/events vs node:events",
  target: "ours >= 0.5x node:events, handlers without options",
  caseIds: () => cases.map((c) => c.id),
  runCase,
  report,
};
