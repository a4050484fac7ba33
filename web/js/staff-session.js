// Logging in and out of the staff page. The session is an HttpOnly cookie the scripts never
// see; the page only asks `/api/me` who is logged in.

import * as api from './api.js';
import { h, replaceChildren } from './dom.js';

const ROLE_LABELS = Object.freeze({ admin: '管理者', staff: 'スタッフ', linkworker: 'リンクワーカー' });
export const WRITER_ROLES = Object.freeze(['admin', 'staff']);

const $ = (selector) => document.querySelector(selector);

function setFieldError(field, message) {
  const input = $(`#login-${field}`);
  const error = $(`#login-${field}-error`);
  error.textContent = message ?? '';
  error.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function minutes(seconds) {
  return Math.max(1, Math.ceil(seconds / 60));
}

export class Session {
  /** `handlers`: onLogin(me) — a writer logged in; onLogout(). */
  constructor(handlers) {
    this.handlers = handlers;
    this.me = null;
    $('#login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    for (const field of ['username', 'password']) {
      $(`#login-${field}`).addEventListener('input', () => setFieldError(field, null));
    }
    $('#logout').addEventListener('click', () => this.logout());
  }

  /** Shows the login form. `note` says why (the session ended, the user logged out …). */
  showLogin(note = '') {
    $('#login-panel').hidden = false;
    $('#login-note').textContent = note;
    $('#login-error').hidden = true;
    $('#login-password').value = '';
    const username = $('#login-username');
    if (this.me?.username && !username.value) username.value = this.me.username;
    (username.value ? $('#login-password') : username).focus();
  }

  hideLogin() {
    $('#login-panel').hidden = true;
  }

  showAccount(me) {
    this.me = me;
    $('#account').hidden = !me;
    $('#account-name').textContent = me ? `${me.username}（${ROLE_LABELS[me.role] ?? me.role}）` : '';
  }

  async submit() {
    const username = $('#login-username').value.trim();
    const password = $('#login-password').value;
    setFieldError('username', username ? null : 'ユーザー名を入力してください。');
    setFieldError('password', password ? null : 'パスワードを入力してください。');
    if (!username) return $('#login-username').focus();
    if (!password) return $('#login-password').focus();
    const error = $('#login-error');
    const button = $('#login-submit');
    error.hidden = true;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = 'ログイン中…';
    try {
      const me = await api.login(username, password);
      $('#login-password').value = '';
      this.accept(me);
    } catch (failure) {
      let message;
      if (failure.status === 401 || failure.status === 403) {
        message = 'ユーザー名かパスワードが違います（または、このアカウントは使えなくなっています）。';
      } else if (failure.status === 429) {
        message = failure.retryAfter
          ? `ログインの失敗が続いたため、しばらくログインできません。${minutes(failure.retryAfter)} 分ほど待ってから、もう一度お試しください。`
          : 'ログインの失敗が続いたため、しばらくログインできません。少し待ってから、もう一度お試しください。';
      } else if (failure.status === 400 || failure.status === 422) {
        message = 'ユーザー名とパスワードを確かめてください。';
      } else {
        message = 'ログインできませんでした。通信の状態を確かめて、もう一度お試しください。';
      }
      error.textContent = message;
      error.hidden = false;
      $('#login-password').value = '';
      $('#login-password').focus();
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = 'ログイン';
    }
  }

  /** A session (from login or `/api/me`): writers go on; others are told this page is not theirs. */
  accept(me) {
    this.showAccount(me);
    if (!WRITER_ROLES.includes(me?.role)) {
      this.showLogin('');
      const error = $('#login-error');
      if (me?.role === 'linkworker') {
        replaceChildren(error, 'この画面は、場所を追加・編集するスタッフ用です。リンクワーカーの方は ',
          h('a', { href: '/linkworker' }, 'リンクワーカー用の画面'), ' をお使いください。');
      } else {
        error.textContent = 'この画面は、場所を追加・編集するスタッフ用です。このアカウントでは使えません（右上の「ログアウト」で別のアカウントに切り替えられます）。';
      }
      error.hidden = false;
      return;
    }
    this.hideLogin();
    this.handlers.onLogin?.(me);
  }

  async logout() {
    const button = $('#logout');
    button.disabled = true;
    try {
      await api.logout();
    } catch (error) {
      // A session that has already ended is logged out; anything else is worth saying.
      if (error.status !== 401) {
        button.disabled = false;
        this.handlers.onError?.('ログアウトできませんでした。通信の状態を確かめて、もう一度お試しください。');
        return;
      }
    }
    this.me = null;
    this.handlers.onLogout?.();
  }
}
