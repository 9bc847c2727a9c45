// What the demo data says: people, posts, comments and a catalogue that read like a small
// community with a shop, not like a fixture. Faker supplies names, places and the seeded
// randomness; the sentences are ours, because faker's only English prose is lorem ipsum (Latin)
// and "hacker phrases" that read as nonsense. Posts are about one topic each, and their comments
// about the same topic, so a page reads as one conversation.
import { base, en, Faker } from '@faker-js/faker';

/** A Faker of its own for one table: its rows stay the same when another table's generation changes. */
export function seededFaker(seed: number): Faker {
  return new Faker({ locale: [en, base], seed });
}

// Noun phrases that fit every template below: "a year of …", "how do you handle …?".
const TOPICS = [
  'code review',
  'GraphQL federation',
  'PostgreSQL indexes',
  'database migrations',
  'feature flags',
  'remote work',
  'pair programming',
  'on-call rotations',
  'incident reviews',
  'load testing',
  'caching',
  'flaky tests',
  'dependency upgrades',
  'API versioning',
  'design systems',
  'accessibility testing',
  'technical writing',
  'estimates',
  'retrospectives',
  'onboarding',
  'observability',
  'monorepos',
  'open source maintenance',
  'side projects',
  'learning Rust',
  'TypeScript strict mode',
  'home office lighting',
  'mechanical keyboards',
  'standing desks',
  'desk ergonomics',
  'coffee brewing',
  'deep work',
  'mentoring',
  'public speaking',
  'hiring interviews',
] as const;

/** The number of topics; a post's topic is an index below it. */
export const TOPIC_COUNT = TOPICS.length;

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type Fill = (faker: Faker, topic: string) => string;

const city = (faker: Faker) => faker.helpers.arrayElement(faker.definitions.location.city_name);

const TITLES: Fill[] = [
  (f, t) => `What ${f.number.int({ min: 2, max: 9 })} years of ${t} taught me`,
  (_, t) => `${capitalised(t)}: what actually worked for us`,
  (_, t) => `A practical guide to ${t}`,
  (_, t) => `Why we changed our minds about ${t}`,
  (f, t) => `${f.number.int({ min: 3, max: 7 })} mistakes I made with ${t}`,
  (f, t) => `Notes from the ${city(f)} meetup on ${t}`,
  (_, t) => `Is investing in ${t} worth it for a small team?`,
  (_, t) => `Our ${t} checklist, one year in`,
  (_, t) => `${capitalised(t)} on a budget`,
  (_, t) => `The boring parts of ${t}`,
  (_, t) => `A month of focusing on ${t}: what changed`,
  (_, t) => `Ask the community: how do you handle ${t}?`,
  (_, t) => `${capitalised(t)} for people who think they hate it`,
  (f, t) => `Three things ${f.person.firstName()} taught me about ${t}`,
  (_, t) => `Getting started with ${t} without burning out`,
];

// A body opens on its topic, goes through what happened, and ends by turning to the reader.
const OPENINGS: Fill[] = [
  (f, t) => `Last ${f.date.month()}, our team decided to take ${t} seriously.`,
  (f, t) => `I have been thinking about ${t} since a conversation with ${f.person.firstName()} at a meetup in ${city(f)}.`,
  (_, t) => `Most advice about ${t} assumes a bigger team than ours, so we adapted it.`,
  (_, t) => `A year ago, ${t} was the thing we complained about most in retros.`,
  (f, t) => `This is how our team of ${f.number.int({ min: 4, max: 12 })} handles ${t}, for anyone in the same spot.`,
];

const MIDDLES: Fill[] = [
  (f) => `The first ${f.number.int({ min: 2, max: 6 })} weeks were rough: nobody agreed on what good looked like.`,
  () => 'What helped most was writing the problem down before arguing about solutions.',
  () => 'We started small, with one team and one service, and measured before changing anything.',
  (f) => `It took ${f.number.int({ min: 2, max: 4 })} attempts before the approach stuck, and the last one was the simplest.`,
  () => 'The biggest surprise was how much time we had been losing without noticing.',
  (f) => `${f.person.firstName()} put it best: make it boring first, then make it fast.`,
  () => 'Tooling mattered less than habits; the checklist we ended up with fits on one page.',
  () => 'We still get it wrong sometimes, but now we notice within a day instead of a quarter.',
  (f, t) => `The time we spent on ${t} dropped by about ${f.number.int({ min: 15, max: 60 })}% in the first quarter.`,
  () => 'Half the battle was deleting things nobody used any more.',
  () => 'The documentation was fine; the hard part was getting everyone to read it.',
  (f) => `We review the process every ${f.helpers.arrayElement(['Monday', 'other Tuesday', 'sprint', 'month'])}, which keeps it from drifting.`,
  () => 'A short written proposal, shared a week in advance, saved us hours of meetings.',
  () => 'The people who pushed back hardest ended up improving the plan the most.',
  (f, t) => `The time we put into ${t} was not glamorous, but it paid for itself within ${f.number.int({ min: 2, max: 8 })} weeks.`,
  () => 'In hindsight, we should have asked the people doing the work much earlier.',
];

const CLOSINGS: Fill[] = [
  (_, t) => `If you are starting out with ${t}, pick one thing to improve and ignore the rest for a month.`,
  (_, t) => `I would love to hear how others handle ${t}, especially on small teams.`,
  () => 'Next month I will write up the numbers, including what did not work.',
  () => 'Questions are welcome in the comments; I will answer what I can.',
  () => 'If your team does this differently, I would love to compare notes.',
];

const COMMENTS: Fill[] = [
  () => 'Great write-up, thanks for sharing!',
  (_, t) => `We went through almost exactly the same thing with ${t} last year.`,
  () => 'Do you have numbers for the before and after? Curious how big the difference was.',
  () => 'This matches my experience. The checklist idea is gold.',
  () => 'Saving this for our next team retro.',
  () => 'Interesting take, but I am not sure it scales past a handful of people.',
  () => 'How long did it take before the team bought in?',
  () => '+1 on starting small. We tried to change everything at once and it backfired.',
  (f) => `${f.person.firstName()} on my team said the same thing last week, ha.`,
  (f) => `Thanks! Sharing this with my colleagues in ${city(f)}.`,
  () => 'Would love a follow-up post on what did not work.',
  () => 'We do something similar. Happy to compare notes.',
  () => 'Bookmarked. The part about measuring first is underrated.',
  () => 'Slightly different experience here: for us the tooling was the hard part.',
  (_, t) => `Any tips for someone just getting started with ${t}?`,
  () => 'Came here from the newsletter. Really clear, thank you.',
  () => 'Honest question: what would you do differently if you started again?',
  () => 'This is the post I needed this week.',
  (_, t) => `Strong agree. Everything about ${t} gets easier once it is written down.`,
  () => 'I disagree a little with the second point, but the rest is spot on.',
  (f) => `Tried this on ${f.date.weekday()} and it already made a difference.`,
  () => 'Clear and practical. More posts like this, please.',
];

/** Distinct picks from `fills`, so that no sentence repeats within one body or comment. */
function sentences(faker: Faker, fills: Fill[], topic: string, count: number): string[] {
  return faker.helpers.arrayElements(fills, count).map((fill) => fill(faker, topic));
}

export interface PostText {
  title: string;
  body: string;
}

/** A post on topic number `topic`: a title and two or three short paragraphs. */
export function postText(faker: Faker, topic: number): PostText {
  const subject = TOPICS[topic]!;
  const lengths = Array.from({ length: faker.number.int({ min: 2, max: 3 }) }, () => faker.number.int({ min: 2, max: 4 }));
  const body = [
    ...sentences(faker, OPENINGS, subject, 1),
    ...sentences(faker, MIDDLES, subject, lengths.reduce((sum, length) => sum + length, 0) - 2),
    ...sentences(faker, CLOSINGS, subject, 1),
  ];
  const paragraphs = lengths.map((length) => body.splice(0, length).join(' '));
  return { title: faker.helpers.arrayElement(TITLES)(faker, subject), body: paragraphs.join('\n\n') };
}

/** A comment on a post about topic number `topic`: one or two sentences. */
export function commentText(faker: Faker, topic: number): string {
  return sentences(
    faker,
    COMMENTS,
    TOPICS[topic]!,
    faker.helpers.weightedArrayElement([
      { weight: 3, value: 1 },
      { weight: 2, value: 2 },
    ]),
  ).join(' ');
}

/** A full name without faker's occasional prefixes and suffixes ("Dr.", "PhD"). */
export function personName(faker: Faker): string {
  return `${faker.person.firstName()} ${faker.person.lastName()}`;
}

/** A lower-case address at example.com (reserved for examples) that is not in `taken`, which it joins. */
export function uniqueEmail(faker: Faker, name: string, taken: Set<string>): string {
  const [firstName, lastName] = name.split(' ');
  let email = faker.internet.email({ firstName, lastName, provider: 'example.com' }).toLowerCase();
  for (let suffix = 2; taken.has(email); suffix++) email = email.replace(/(\d*)@/, `${suffix}@`);
  taken.add(email);
  return email;
}

// The shop sells what the community writes about: desk gear and coffee. Prices are whole dollars
// in a range per kind, ending in .99 mostly, as shops price; a finish (a colour) where one fits.
interface CatalogueEntry {
  kind: string;
  variants: readonly string[];
  dollars: readonly [min: number, max: number];
  /** Sold as it comes, without a choice of colour. */
  inOneFinish?: boolean;
}

const CATALOGUE: readonly CatalogueEntry[] = [
  { kind: 'Mechanical Keyboard', variants: ['Tenkeyless', 'Low-Profile', 'Full-Size', 'Compact 65%'], dollars: [79, 189] },
  { kind: 'Wireless Mouse', variants: ['Ergonomic', 'Silent', 'Travel', 'Vertical'], dollars: [24, 89] },
  { kind: 'Desk Lamp', variants: ['LED', 'Swing-Arm', 'Architect', 'Clip-On'], dollars: [29, 149] },
  { kind: 'Monitor', variants: ['27" 4K', '24" IPS', '34" Ultrawide', '27" QHD'], dollars: [229, 649], inOneFinish: true },
  { kind: 'Monitor Arm', variants: ['Single', 'Dual', 'Heavy-Duty'], dollars: [59, 179] },
  { kind: 'Laptop Stand', variants: ['Aluminium', 'Foldable', 'Walnut'], dollars: [29, 99], inOneFinish: true },
  { kind: 'Headphones', variants: ['Noise-Cancelling', 'Open-Back', 'Wireless'], dollars: [79, 349] },
  { kind: 'USB-C Hub', variants: ['7-in-1', '10-in-1', 'Travel'], dollars: [29, 89] },
  { kind: 'Webcam', variants: ['1080p', '4K', 'Wide-Angle'], dollars: [49, 179], inOneFinish: true },
  { kind: 'Desk Mat', variants: ['Felt', 'Leather', 'Cork'], dollars: [19, 59] },
  { kind: 'Mug', variants: ['Ceramic', 'Stoneware', 'Insulated'], dollars: [12, 34] },
  { kind: 'Notebook', variants: ['Dotted A5', 'Lined A5', 'Squared A4'], dollars: [9, 29] },
  { kind: 'Fountain Pen', variants: ['Fine Nib', 'Medium Nib', 'Broad Nib'], dollars: [19, 149] },
  { kind: 'Standing Desk', variants: ['Electric', 'Compact Electric', 'Corner'], dollars: [349, 899] },
  { kind: 'Office Chair', variants: ['Mesh', 'Ergonomic', 'Task'], dollars: [199, 749] },
  { kind: 'Backpack', variants: ['Laptop', 'Rolltop', 'Commuter'], dollars: [59, 179] },
  { kind: 'Cable Organiser', variants: ['Under-Desk', 'Magnetic', 'Travel'], dollars: [9, 29] },
  { kind: 'Speaker', variants: ['Bluetooth', 'Desktop', 'Bookshelf'], dollars: [39, 249] },
  { kind: 'Coffee Grinder', variants: ['Burr', 'Hand', 'Conical Burr'], dollars: [39, 249], inOneFinish: true },
  { kind: 'Pour-Over Set', variants: ['Glass', 'Ceramic', 'Travel'], dollars: [24, 79], inOneFinish: true },
  { kind: 'Wrist Rest', variants: ['Memory Foam', 'Wooden', 'Gel'], dollars: [14, 39], inOneFinish: true },
  { kind: 'Microphone', variants: ['USB', 'Podcast', 'Clip-On'], dollars: [39, 199], inOneFinish: true },
  { kind: 'Phone Stand', variants: ['Charging', 'Adjustable', 'Aluminium'], dollars: [14, 69] },
  { kind: 'Whiteboard', variants: ['Glass', 'Magnetic', 'Desktop'], dollars: [29, 149], inOneFinish: true },
  { kind: 'Plant Pot', variants: ['Self-Watering', 'Terracotta', 'Concrete'], dollars: [12, 39] },
];

const FINISHES = ['Black', 'White', 'Slate Grey', 'Sage', 'Navy', 'Sand', 'Forest Green', 'Charcoal', 'Oat'];

export interface ProductText {
  name: string;
  priceCents: number;
}

/**
 * Product number `index` of the catalogue: the first ones go round every kind once, so even a
 * small catalogue has one of each, before variants repeat a kind.
 */
export function productText(faker: Faker, index: number): ProductText {
  const entry = index < CATALOGUE.length ? CATALOGUE[index]! : faker.helpers.arrayElement(CATALOGUE);
  const finish = entry.inOneFinish ? '' : `, ${faker.helpers.arrayElement(FINISHES)}`;
  const dollars = faker.number.int({ min: entry.dollars[0], max: entry.dollars[1] });
  const cents = faker.helpers.weightedArrayElement([
    { weight: 7, value: 99 },
    { weight: 2, value: 49 },
    { weight: 1, value: 0 },
  ]);
  return {
    name: `${faker.helpers.arrayElement(entry.variants)} ${entry.kind}${finish}`,
    priceCents: dollars * 100 + cents,
  };
}
