/**
 * The people, groups and purposes of the demo: invented, but the kind a city's civic center
 * really sees. E-mail addresses use example.jp (reserved, never delivered).
 */
import type { Random } from './random.js';

/** [kanji, romaji] */
const FAMILY: readonly (readonly [string, string])[] = [
  ['佐藤', 'sato'], ['鈴木', 'suzuki'], ['高橋', 'takahashi'], ['田中', 'tanaka'], ['伊藤', 'ito'],
  ['渡辺', 'watanabe'], ['山本', 'yamamoto'], ['中村', 'nakamura'], ['小林', 'kobayashi'], ['加藤', 'kato'],
  ['吉田', 'yoshida'], ['山田', 'yamada'], ['佐々木', 'sasaki'], ['山口', 'yamaguchi'], ['松本', 'matsumoto'],
  ['井上', 'inoue'], ['木村', 'kimura'], ['林', 'hayashi'], ['斎藤', 'saito'], ['清水', 'shimizu'],
  ['山崎', 'yamazaki'], ['森', 'mori'], ['池田', 'ikeda'], ['橋本', 'hashimoto'], ['阿部', 'abe'],
  ['石川', 'ishikawa'], ['山下', 'yamashita'], ['中島', 'nakajima'], ['石井', 'ishii'], ['小川', 'ogawa'],
  ['前田', 'maeda'], ['岡田', 'okada'], ['長谷川', 'hasegawa'], ['藤田', 'fujita'], ['後藤', 'goto'],
  ['近藤', 'kondo'], ['村上', 'murakami'], ['遠藤', 'endo'], ['青木', 'aoki'], ['坂本', 'sakamoto'],
];

const GIVEN: readonly (readonly [string, string])[] = [
  ['翔太', 'shota'], ['大輔', 'daisuke'], ['健一', 'kenichi'], ['誠', 'makoto'], ['浩', 'hiroshi'],
  ['隆', 'takashi'], ['拓也', 'takuya'], ['直樹', 'naoki'], ['和也', 'kazuya'], ['悠人', 'yuto'],
  ['蓮', 'ren'], ['修', 'osamu'], ['茂', 'shigeru'], ['勇気', 'yuki'], ['陽子', 'yoko'],
  ['恵子', 'keiko'], ['裕子', 'yuko'], ['美穂', 'miho'], ['由美', 'yumi'], ['真理子', 'mariko'],
  ['さくら', 'sakura'], ['葵', 'aoi'], ['結衣', 'yui'], ['智子', 'tomoko'], ['洋子', 'hiroko'],
  ['明美', 'akemi'], ['花子', 'hanako'], ['優子', 'yuko'], ['千尋', 'chihiro'], ['美咲', 'misaki'],
];

export interface Person {
  name: string;
  email: string;
  phone: string;
}

export function phoneNumber(random: Random): string {
  const prefix = random.weighted([['090', 5], ['080', 4], ['070', 2], ['045', 2]] as const);
  const mid = String(random.int(prefix === '045' ? 200 : 1000, prefix === '045' ? 999 : 9999));
  return `${prefix}-${mid}-${String(random.int(0, 9999)).padStart(4, '0')}`;
}

/** A person with a Japanese name; `n` keeps e-mail addresses unique. */
export function person(random: Random, n: number): Person {
  const [family, familyRomaji] = random.pick(FAMILY);
  const [given, givenRomaji] = random.pick(GIVEN);
  return { name: `${family} ${given}`, email: `${givenRomaji}.${familyRomaji}${n}@example.jp`, phone: phoneNumber(random) };
}

export type GroupType = 'npo' | 'volunteer' | 'neighborhood-association' | 'district-committee' | 'other';

/** A weekly (or every other week) or monthly (nth weekday) series a group keeps all year. */
export interface SeriesPlan {
  space: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** For a monthly series: the nth weekday of the month. */
  nth?: number;
  interval?: number;
  start: string;
  end: string;
  attendees: number;
  purpose: string;
  /** Made by a member online rather than by staff at the desk. */
  online: boolean;
  /** Equipment borrowed on every date (the series' loans). */
  equipment?: { type: string; quantity: number }[];
}

export interface DemoGroup {
  name: string;
  kana: string;
  type: GroupType;
  memberCount: number;
  fields: string[];
  description: string;
  publicProfile: boolean;
  series: SeriesPlan[];
}

/** The registered groups. The first name doubles as the marker that a demo was seeded. */
export const DEMO_GROUPS: readonly DemoGroup[] = [
  {
    name: '桜が丘町内会', kana: 'さくらがおかちょうないかい', type: 'neighborhood-association', memberCount: 420,
    fields: ['地域自治', '防災'], description: '桜が丘一丁目から三丁目の町内会です。防災訓練と夏祭りを行っています。', publicProfile: true,
    series: [{ space: 'training-a', weekday: 6, nth: 1, start: '10:00', end: '12:00', attendees: 18, purpose: '町内会役員会', online: false, equipment: [{ type: 'whiteboard', quantity: 1 }] }],
  },
  {
    name: '緑川地区市民委員会', kana: 'みどりかわちくしみんいいんかい', type: 'district-committee', memberCount: 35,
    fields: ['地域自治', '福祉'], description: '緑川地区の町内会長と各種団体の代表による委員会です。', publicProfile: true,
    series: [{ space: 'training', weekday: 4, nth: 3, start: '19:00', end: '21:00', attendees: 40, purpose: '地区市民委員会 定例会', online: false,
      equipment: [{ type: 'projector', quantity: 1 }, { type: 'screen', quantity: 1 }, { type: 'wireless-mic', quantity: 1 }] }],
  },
  {
    name: 'NPO法人ひろば子ども食堂ネット', kana: 'ひろばこどもしょくどうねっと', type: 'npo', memberCount: 48,
    fields: ['子ども', '食育', '福祉'], description: '市内の子ども食堂をつなぎ、食材の寄付とボランティアを仲介しています。', publicProfile: true,
    series: [{ space: 'small-2', weekday: 3, start: '18:30', end: '20:30', attendees: 10, purpose: '運営スタッフ会議', online: true }],
  },
  {
    name: 'NPO法人まちづくりネットワーク東', kana: 'まちづくりねっとわーくひがし', type: 'npo', memberCount: 22,
    fields: ['まちづくり', '環境'], description: '空き家の活用と商店街の活性化に取り組んでいます。', publicProfile: true,
    series: [{ space: 'small-1', weekday: 1, start: '19:00', end: '21:00', attendees: 7, purpose: '定例ミーティング', online: true }],
  },
  {
    name: '日本語ボランティア にじの会', kana: 'にほんごぼらんてぃあ にじのかい', type: 'volunteer', memberCount: 30,
    fields: ['国際交流', '教育'], description: '外国にルーツを持つ市民のための日本語教室です。', publicProfile: true,
    series: [
      { space: 'training-b', weekday: 2, start: '10:00', end: '12:00', attendees: 20, purpose: '日本語教室', online: false, equipment: [{ type: 'whiteboard', quantity: 2 }] },
      { space: 'training-b', weekday: 6, start: '13:30', end: '15:30', attendees: 22, purpose: '日本語教室（週末クラス）', online: false, equipment: [{ type: 'whiteboard', quantity: 2 }] },
    ],
  },
  {
    name: '市民合唱団こだま', kana: 'しみんがっしょうだんこだま', type: 'other', memberCount: 60,
    fields: ['文化', '音楽'], description: '年に一度の定期演奏会に向けて練習しています。', publicProfile: true,
    // Weekly in the hall: a month with five Fridays runs into the hall quota (4 a month), as it does for real.
    series: [{ space: 'hall', weekday: 5, start: '18:30', end: '21:30', attendees: 55, purpose: '合唱練習', online: true, equipment: [{ type: 'piano', quantity: 1 }] }],
  },
  {
    name: '傾聴ボランティア こころ', kana: 'けいちょうぼらんてぃあ こころ', type: 'volunteer', memberCount: 15,
    fields: ['福祉', '高齢者'], description: '高齢者施設での傾聴活動と、ボランティア養成講座を行っています。', publicProfile: false,
    series: [{ space: 'small-1', weekday: 3, interval: 2, start: '13:30', end: '15:30', attendees: 8, purpose: '傾聴ボランティア研修', online: false }],
  },
  {
    name: '子育てサークル ひだまり', kana: 'こそだてさーくる ひだまり', type: 'other', memberCount: 25,
    fields: ['子育て'], description: '未就学児と保護者のための遊びと交流の場です。', publicProfile: true,
    series: [{ space: 'lounge', weekday: 4, start: '10:00', end: '12:00', attendees: 24, purpose: '親子ひろば', online: true }],
  },
];

export const DEMO_MARKER_GROUP = DEMO_GROUPS[0]!.name;

/** What people book each kind of room for. */
export const PURPOSES: Record<string, readonly string[]> = {
  small: ['打合せ', '役員会', '読書会', '英会話サークル', '囲碁の会', '俳句の会', '編み物サークル', '学習会', '相談会', '翻訳ボランティア打合せ', '自治会の打合せ', 'PTA打合せ'],
  training: ['研修会', '健康体操', 'ヨガ教室', '防災講習会', 'パソコン教室', '書道教室', '絵手紙教室', '子育て講座', '手話講習会', '説明会', '料理教室の打合せ', '市民講座'],
  hall: ['演奏会', '発表会', '講演会', '総会', '映画上映会', 'ダンス練習', '地域交流会', 'シンポジウム'],
  lounge: ['作品展示', '写真展', '交流サロン', '絵画展', '手芸作品展'],
  plaza: ['フリーマーケット', '子ども外遊びの会', 'ラジオ体操', '地域清掃の集合', '夏祭り準備'],
};

export const COMMERCIAL_PURPOSES = ['企業研修', '商品説明会', '有料セミナー', '資格講座'];
