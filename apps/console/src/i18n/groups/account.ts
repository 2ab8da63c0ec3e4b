import type { Messages } from './messages';

/** The signed-in account's own password (`tw.account.*`): shown first when an administrator set it. */
export const accountEn = {
  menu: 'Change password',
  title: 'Change your password',
  required: 'An administrator set your password. Choose your own before you continue: until then nothing else can be opened.',
  intro: 'Choose a new password of at least 12 characters that is hard to guess and does not contain your username.',
  current: 'Current password',
  next: 'New password',
  confirm: 'New password again',
  mismatch: 'The two new passwords differ',
  submit: 'Change password',
  done: 'Your password was changed',
  signOut: 'Sign out',
  adminSet: 'The user must replace it with their own at the next sign-in, and can never approve work of yours',
};

export const accountZh: Messages<typeof accountEn> = {
  menu: '修改密码',
  title: '修改密码',
  required: '您的密码由管理员设置。请先设置您自己的密码，在此之前无法使用其他功能。',
  intro: '新密码至少 12 个字符、不易被猜中，且不能包含用户名。',
  current: '当前密码',
  next: '新密码',
  confirm: '再次输入新密码',
  mismatch: '两次输入的新密码不一致',
  submit: '修改密码',
  done: '密码已修改',
  signOut: '退出登录',
  adminSet: '该用户下次登录时须改为自己的密码，且永远不能审批您参与的工作',
};
