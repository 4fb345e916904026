// Run in each scanned page by policybuilder/scanner.py, after it has loaded and been scrolled.
// Synchronous on purpose: nothing here waits on the page's own timers, which the page may have
// replaced. Returns plain data only; every string is cut short. Nothing here clicks or types.
const extract = (isHome) => {
  const clip = (s, n = 200) => String(s || '').replace(/\s+/g, ' ').trim().slice(0, n);
  const kindOf = (el) => {
    const type = (el.type || '').toLowerCase();
    const auto = (el.getAttribute('autocomplete') || '').toLowerCase();
    const words = [el.name, el.id, el.placeholder, el.getAttribute('aria-label'),
                   el.labels && el.labels[0] && el.labels[0].textContent].join(' ').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'checkbox', 'radio', 'image'].includes(type)) return '';
    if (type === 'file') return 'file_upload';
    if (type === 'password' || auto.includes('password')) return 'password';
    if (auto.startsWith('cc-') || /card.?(number|no)|cc.?(num|number)|\bcvc\b|\bcvv\b|expir/.test(words))
      return 'payment_card';
    if (type === 'email' || auto.includes('email') || /e-?mail/.test(words)) return 'email';
    if (type === 'tel' || auto.startsWith('tel') || /phone|mobile|\btel\b/.test(words)) return 'phone';
    if (/street-address|address-line|postal-code|address-level/.test(auto) ||
        /address|street|\bzip\b|postcode|postal|\bcity\b/.test(words)) return 'postal_address';
    if (['name', 'given-name', 'family-name'].includes(auto) || /\b(first|last|full|your)?.?name\b/.test(words))
      return 'name';
    return '';
  };
  const forms = [...document.querySelectorAll('form')].slice(0, 50).map((form) => {
    const kinds = new Set();
    form.querySelectorAll('input, textarea, select').forEach((el) => { const k = kindOf(el); if (k) kinds.add(k); });
    const heading = form.getAttribute('aria-label') || (form.querySelector('legend, h1, h2, h3, h4') || {}).textContent
      || (form.querySelector('button, input[type=submit]') || {}).textContent
      || (form.querySelector('input[type=submit]') || {}).value || form.id || form.getAttribute('name');
    return {label: clip(heading, 80), fields: [...kinds]};
  }).filter((form) => form.fields.length);
  const links = [...document.querySelectorAll('a[href]')].slice(0, 500).map((a) => a.href);
  const storage = [];
  for (const [area, store] of [['local', window.localStorage], ['session', window.sessionStorage]]) {
    try { for (let i = 0; i < Math.min(store.length, 200); i++) storage.push({area, name: clip(store.key(i))}); }
    catch (e) { /* storage refused */ }
  }
  let banner = '';
  if (isHome) {
    const known = ['#onetrust-banner-sdk', '#CybotCookiebotDialog', '#cookie-law-info-bar', '.cc-window',
      '#cmplz-cookiebanner-container', '#usercentrics-root', '#truste-consent-track', '.fc-consent-root',
      '#qc-cmp2-container', '#didomi-host', '.termly-styles-root'];
    for (const selector of known) { if (document.querySelector(selector)) { banner = 'consent tool ' + selector; break; } }
    if (!banner) {
      const candidates = document.querySelectorAll(
        '[role=dialog], [role=alertdialog], [role=region], aside, footer, div, section');
      for (const el of [...candidates].slice(0, 3000)) {
        const style = getComputedStyle(el);
        const floating = ['fixed', 'sticky'].includes(style.position) || ['dialog', 'alertdialog'].includes(el.getAttribute('role'));
        if (!floating || style.display === 'none' || style.visibility === 'hidden') continue;
        const text = el.innerText || '';
        if (!/cookie|consent/i.test(text)) continue;
        const buttons = [...el.querySelectorAll('button, a, [role=button]')].map((b) => b.innerText || '');
        if (buttons.some((b) => /accept|agree|allow|reject|decline|refuse|deny|got it|\bok\b|settings|preferences/i.test(b))) {
          banner = 'a cookie notice with buttons: "' + clip(text, 80) + '"';
          break;
        }
      }
    }
  }
  let privacy = '';
  if (isHome) {
    const link = [...document.querySelectorAll('a[href]')].find(
      (a) => /privacy|datenschutz|confidentialit|privacidad/i.test((a.innerText || '') + ' ' + a.getAttribute('href')));
    if (link) privacy = link.href;
  }
  return {forms, links, storage, banner, privacy};
};
