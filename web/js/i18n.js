// Words on the page, in Japanese (the default) and English.
//
// Every fixed label of index.html carries `data-i18n="key"` (its text) or
// `data-i18n-attr="attribute:key;…"` (its attributes); applyTranslations() fills them from
// the dictionary below with textContent/setAttribute — never innerHTML.

const MESSAGES = {
  ja: {
    'page.title': 'つながりマップ 名張 — 通いの場・サロン・相談窓口をさがす',
    'site.name': 'つながりマップ',
    'site.city': '名張市',
    'site.tagline': '近くの通いの場・サロン・相談窓口をさがせます',
    'skip.results': '一覧へ移動',
    'settings.label': '表示の設定',
    'settings.large': '文字を大きく',
    'settings.lang': 'English',
    'settings.lang.aria': 'Switch to English',
    'search.heading': 'さがす',
    'search.label': 'ことばで探す',
    'search.placeholder': '例：火曜 サロン、体操、子ども食堂',
    'search.submit': '検索',
    'near.legend': '近くを探す',
    'near.geo': '現在地から探す',
    'near.pick': '地図をタップして地点を選ぶ',
    'near.radius': '距離',
    'near.clear': '近くを探すのをやめる',
    'near.locating': '現在地を調べています…',
    'near.geo.failed': '現在地がわかりませんでした。「地図をタップして地点を選ぶ」をお使いください。',
    'near.geo.unsupported': 'この端末では現在地を使えません。「地図をタップして地点を選ぶ」をお使いください。',
    'near.active': '選んだ地点から {radius} 以内を、近い順に表示しています。',
    'pick.prompt': '地図をタップ（クリック）して、探したい地点を選んでください。',
    'pick.centre': '地図の中心で決める',
    'pick.cancel': 'やめる',
    'filters.heading': '近くを探す・絞り込む',
    'filters.summary': '絞り込み（いつ・種類・地域）',
    'when.legend': 'いつ（開いている日）',
    'when.any': '指定なし',
    'when.day.today': '今日',
    'when.day.tomorrow': '明日',
    'when.day.mo': '月曜',
    'when.day.tu': '火曜',
    'when.day.we': '水曜',
    'when.day.th': '木曜',
    'when.day.fr': '金曜',
    'when.day.sa': '土曜',
    'when.day.su': '日曜',
    'when.times': '時間帯',
    'when.allday': '一日中',
    'when.time.am': '午前',
    'when.time.pm': '午後',
    'when.label.time': '{day}・{time}',
    'place.next': '次回: {when}',
    'place.when.next': '次の開催',
    'place.open.now': '開催中（{until}まで）',
    'place.schedule.note': '補足',
    'filters.summary.active': '絞り込み（{n} 件の条件）',
    'filters.category': '種類',
    'filters.area': '地域',
    'filters.area.all': 'すべての地域',
    'filters.clear': 'すべて解除',
    'map.label': '地図',
    'map.layers': '地図の種類',
    'map.zoom.in': '拡大',
    'map.zoom.out': '縮小',
    'map.tiles.failed': '地図の画像を読み込めませんでした。場所の一覧はそのままお使いいただけます。',
    'map.unavailable': '地図を表示できません。場所の一覧はそのままお使いいただけます。',
    'map.too.many': '表示範囲に場所が多すぎます（{n} 件）。地図を拡大してください。',
    'map.marker.aria': '{name}（{category}）',
    'map.cluster.aria': '{n} 件の場所。拡大して表示',
    'search.busy': '検索中…',
    'suggest.label': '名前の候補',
    'results.show': '結果を見る（{n} 件）',
    'results.show.loading': '読み込み中…',
    'results.show.failed': '読み込めませんでした',
    'results.failed': '一覧を読み込めませんでした。通信の状態を確かめて、もう一度お試しください。',
    'results.conditions': '条件：',
    'results.condition.remove': '条件「{label}」を外す',
    'results.condition.q': 'ことば「{q}」',
    'results.condition.near': '{radius} 以内',
    'map.loading': '読み込み中…',
    'map.failed': '場所を読み込めませんでした',
    'results.heading': '場所の一覧',
    'results.loading': '読み込み中…',
    'results.count.view': '地図に見えている範囲に {n} 件',
    'results.count.near': '{radius} 以内に {n} 件（近い順）',
    'results.count.all': '全部で {n} 件',
    'results.elsewhere': '地図の外にも、条件に合う場所があります（全体で {n} 件）。',
    'results.show.all': '全部が見えるように地図を広げる',
    'results.empty': '条件に合う場所が見つかりませんでした',
    'results.empty.hint': '条件を減らすか、地図を広げてみてください。',
    'results.more': 'さらに表示（残り {n} 件）',
    'results.hint.move': '地図を動かすと、一覧も変わります。',
    'detail.back': '← 一覧にもどる',
    'detail.show.map': '地図で見る',
    'detail.more': 'くわしく見る',
    'place.sample': 'サンプルデータ',
    'place.sample.note': 'これは説明用の架空のデータです。',
    'place.category': '種類',
    'place.schedule': '日時',
    'place.address': '住所',
    'place.area': '地域',
    'place.phone': '電話',
    'place.phone.call': '{phone} に電話する',
    'place.email': 'メール',
    'place.url': 'ホームページ',
    'place.cost': '費用',
    'place.audience': '対象',
    'place.accessibility': 'バリアフリー',
    'place.verified': '情報の確認日',
    'place.distance': 'ここからの距離',
    'place.directions': '道順を調べる（地図アプリ）',
    'place.directions.short': '道順',
    'place.opens.new': '（別の画面で開きます）',
    'place.none': '—',
    'error.api': '情報を読み込めませんでした。通信の状態を確かめて、もう一度お試しください。',
    'error.retry': 'もう一度読み込む',
    'error.place.missing': 'お探しの場所は見つかりませんでした（公開が終わったか、リンクが古い可能性があります）。',
    'error.close': '閉じる',
    'footer.sample': '「サンプルデータ」と表示された場所は、説明用の架空のデータです。',
    'footer.api': 'データ（API）',
    'footer.about': 'つながりマップは、地域の資源を見える化し、社会的処方につなぐためのオープンソースの地図です。',
  },
  en: {
    'page.title': 'Tsunagari Map Nabari — find community places, salons and advice',
    'site.name': 'Tsunagari Map',
    'site.city': 'Nabari City',
    'site.tagline': 'Find community gathering places, salons and advice near you',
    'skip.results': 'Skip to the list',
    'settings.label': 'Display settings',
    'settings.large': 'Larger text',
    'settings.lang': '日本語',
    'settings.lang.aria': '日本語に切り替える',
    'search.heading': 'Search',
    'search.label': 'Search by words (Japanese)',
    'search.placeholder': 'e.g. 火曜 サロン (Tuesday salon), 体操',
    'search.submit': 'Search',
    'near.legend': 'Find nearby',
    'near.geo': 'Use my location',
    'near.pick': 'Tap the map to choose a point',
    'near.radius': 'Distance',
    'near.clear': 'Stop searching nearby',
    'near.locating': 'Finding your location…',
    'near.geo.failed': 'Your location could not be found. Please tap the map to choose a point instead.',
    'near.geo.unsupported': 'Location is not available on this device. Please tap the map to choose a point instead.',
    'near.active': 'Showing places within {radius} of the chosen point, nearest first.',
    'pick.prompt': 'Tap (click) the map at the point you want to search around.',
    'pick.centre': 'Use the centre of the map',
    'pick.cancel': 'Cancel',
    'filters.heading': 'Nearby and filters',
    'filters.summary': 'Filter (when, type, area)',
    'when.legend': 'When (open on)',
    'when.any': 'Any day',
    'when.day.today': 'Today',
    'when.day.tomorrow': 'Tomorrow',
    'when.day.mo': 'Mon',
    'when.day.tu': 'Tue',
    'when.day.we': 'Wed',
    'when.day.th': 'Thu',
    'when.day.fr': 'Fri',
    'when.day.sa': 'Sat',
    'when.day.su': 'Sun',
    'when.times': 'Time of day',
    'when.allday': 'All day',
    'when.time.am': 'Morning',
    'when.time.pm': 'Afternoon',
    'when.label.time': '{day}, {time}',
    'place.next': 'Next: {when}',
    'place.when.next': 'Next session',
    'place.open.now': 'On now (until {until})',
    'place.schedule.note': 'Note',
    'filters.summary.active': 'Filter ({n} selected)',
    'filters.category': 'Type',
    'filters.area': 'Area',
    'filters.area.all': 'All areas',
    'filters.clear': 'Clear all',
    'map.label': 'Map',
    'map.layers': 'Base map',
    'map.zoom.in': 'Zoom in',
    'map.zoom.out': 'Zoom out',
    'map.tiles.failed': 'The map images could not be loaded. The list of places still works.',
    'map.unavailable': 'The map cannot be shown. The list of places still works.',
    'map.too.many': 'Too many places in view ({n}). Please zoom in.',
    'map.marker.aria': '{name} ({category})',
    'map.cluster.aria': '{n} places. Zoom in to see them',
    'search.busy': 'Searching…',
    'suggest.label': 'Matching names',
    'results.show': 'Show results ({n})',
    'results.show.loading': 'Loading…',
    'results.show.failed': 'Could not load',
    'results.failed': 'The list could not be loaded. Please check your connection and try again.',
    'results.conditions': 'Conditions:',
    'results.condition.remove': 'Remove the condition “{label}”',
    'results.condition.q': 'words “{q}”',
    'results.condition.near': 'within {radius}',
    'map.loading': 'Loading…',
    'map.failed': 'Places could not be loaded',
    'results.heading': 'Places',
    'results.loading': 'Loading…',
    'results.count.view': '{n} places in the map view',
    'results.count.near': '{n} places within {radius} (nearest first)',
    'results.count.all': '{n} places in all',
    'results.elsewhere': 'More places match outside the map ({n} in all).',
    'results.show.all': 'Zoom out to show them all',
    'results.empty': 'No places match these conditions',
    'results.empty.hint': 'Try fewer conditions or zoom the map out.',
    'results.more': 'Show more ({n} left)',
    'results.hint.move': 'Moving the map changes the list.',
    'detail.back': '← Back to the list',
    'detail.show.map': 'Show on the map',
    'detail.more': 'More details',
    'place.sample': 'Sample data',
    'place.sample.note': 'This is made-up data for demonstration.',
    'place.category': 'Type',
    'place.schedule': 'When',
    'place.address': 'Address',
    'place.area': 'Area',
    'place.phone': 'Phone',
    'place.phone.call': 'Call {phone}',
    'place.email': 'E-mail',
    'place.url': 'Website',
    'place.cost': 'Cost',
    'place.audience': 'For',
    'place.accessibility': 'Accessibility',
    'place.verified': 'Last checked',
    'place.distance': 'Distance',
    'place.directions': 'Directions (map app)',
    'place.directions.short': 'Directions',
    'place.opens.new': '(opens in a new window)',
    'place.none': '—',
    'error.api': 'The information could not be loaded. Please check your connection and try again.',
    'error.retry': 'Try again',
    'error.place.missing': 'That place was not found (it may no longer be published, or the link is old).',
    'error.close': 'Close',
    'footer.sample': 'Places marked “Sample data” are made-up examples.',
    'footer.api': 'Data (API)',
    'footer.about': 'Tsunagari Map is an open-source map that makes community resources visible for social prescribing.',
  },
};

export const LANGUAGES = Object.freeze(['ja', 'en']);
let current = 'ja';

export function lang() {
  return current;
}

export function setLang(code) {
  current = LANGUAGES.includes(code) ? code : 'ja';
  document.documentElement.lang = current;
}

/** The message for `key` with `{name}` placeholders replaced (values are plain text). */
export function t(key, vars = {}) {
  const text = MESSAGES[current][key] ?? MESSAGES.ja[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** Fills every `data-i18n` / `data-i18n-attr` element under `root`. */
export function applyTranslations(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
  document.title = t('page.title');
}

/** A category's display name in the current language. */
export function categoryName(category) {
  if (!category) return '';
  return (current === 'en' ? category.name_en : category.name_ja) || category.name_ja || category.code;
}

/** An area's display name in the current language. */
export function areaName(area) {
  if (!area) return '';
  return (current === 'en' ? area.name_en : area.name_ja) || area.name_ja || area.code;
}

/** Metres as 「350 m」 (to 10 m) or 「1.2 km」. */
export function formatDistance(metres) {
  if (!Number.isFinite(metres)) return '';
  if (metres < 1000) return `${Math.round(metres / 10) * 10} m`;
  const km = metres / 1000;
  return `${km < 10 ? km.toFixed(1) : Math.round(km)} km`;
}

/** A radius choice (metres) as 「500 m」「1 km」. */
export function formatRadius(metres) {
  return metres < 1000 ? `${metres} m` : `${metres / 1000} km`;
}

/** "YYYY-MM-DD" as 「2026年10月3日」 or "3 October 2026"; anything else unchanged. */
export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!m) return iso ?? '';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (current === 'en') {
    const date = new Date(Date.UTC(y, mo - 1, d));
    return date.toLocaleDateString('en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  }
  return `${y}年${mo}月${d}日`;
}

/**
 * A session start or end (RFC 3339 with +09:00) in Japan time: 「12月1日(火) 10:00」 or
 * "Tue 1 Dec 10:00"; with `timeOnly`, 「10:00」.
 */
export function formatSession(iso, { timeOnly = false } = {}) {
  const instant = new Date(iso ?? '');
  if (Number.isNaN(instant.getTime())) return '';
  // Japan is UTC+9 all year: shift, then read the UTC fields.
  const jst = new Date(instant.getTime() + 9 * 3600 * 1000);
  const time = `${jst.getUTCHours()}:${String(jst.getUTCMinutes()).padStart(2, '0')}`;
  if (timeOnly) return time;
  const weekday = jst.getUTCDay();
  if (current === 'en') {
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][weekday];
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][jst.getUTCMonth()];
    return `${day} ${jst.getUTCDate()} ${month} ${time}`;
  }
  const day = '日月火水木金土'[weekday];
  return `${jst.getUTCMonth() + 1}月${jst.getUTCDate()}日(${day}) ${time}`;
}

/** A count with thousands separators. */
export function formatCount(n) {
  return Number(n).toLocaleString(current === 'en' ? 'en-GB' : 'ja-JP');
}
