import type { Messages } from './messages';

/** The audit log in words: each action's verb (`version.publish` → Published) and the change table. */
export const auditLogEn = {
  field: 'Field',
  verbs: {
    create: 'Created',
    update: 'Changed',
    delete: 'Deleted',
    submit: 'Submitted for review',
    withdraw: 'Submission withdrawn',
    discard: 'Draft discarded',
    approve: 'Approved',
    reject: 'Rejected',
    publish: 'Published',
    retire: 'Retired',
    cancel: 'Cancelled',
    recover: 'Resumed after a restart',
    login_failed: 'Failed sign-in',
    update_password: 'Password changed',
  },
};

export const auditLogZh: Messages<typeof auditLogEn> = {
  field: '字段',
  verbs: {
    create: '创建',
    update: '修改',
    delete: '删除',
    submit: '提交审批',
    withdraw: '撤回提交',
    discard: '废弃草稿',
    approve: '批准',
    reject: '驳回',
    publish: '发布',
    retire: '停用',
    cancel: '取消',
    recover: '重启后恢复',
    login_failed: '登录失败',
    update_password: '修改密码',
  },
};
