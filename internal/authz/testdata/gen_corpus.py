# Authoring helper for corpus.json: `python3 gen_corpus.py corpus.json`.
# corpus.json is the committed test input; its expectations are written by
# hand below from AWS's documented behaviour (the engine is never consulted).
import json, sys
A = '111122223333'   # caller account
B = '444455556666'   # other account
ALICE = f'arn:aws:iam::{A}:user/alice'
BOB = f'arn:aws:iam::{A}:user/dev/bob'
ROOT = f'arn:aws:iam::{A}:root'
ROLE = f'arn:aws:iam::{A}:role/app/Deployer'
SESSION_ARN = f'arn:aws:sts::{A}:assumed-role/Deployer/s1'
SESSION = SESSION_ARN + '|' + ROLE  # principal ARN|role ARN (with path)
FED = f'arn:aws:sts::{A}:federated-user/fred'
XUSER = f'arn:aws:iam::{B}:user/carol'
XROLE = f'arn:aws:iam::{B}:role/Ext'
XSESSION = f'arn:aws:sts::{B}:assumed-role/Ext/x1'
V = '2012-10-17'

policies = {}
def pol(name, kind, *stmts, version=V):
    d = {'Statement': list(stmts)}
    if version:
        d = {'Version': version, 'Statement': list(stmts)}
    policies[name] = {'kind': kind, 'doc': d}
    return name
def st(effect, action, resource='*', sid=None, cond=None, notaction=False, notresource=False, principal=None, notprincipal=False):
    s = {}
    if sid: s['Sid'] = sid
    s['Effect'] = effect
    if principal is not None:
        s['NotPrincipal' if notprincipal else 'Principal'] = principal
    s['NotAction' if notaction else 'Action'] = action
    if resource is not None:
        s['NotResource' if notresource else 'Resource'] = resource
    if cond: s['Condition'] = cond
    return s
def allow(action, resource='*', **kw): return st('Allow', action, resource, **kw)
def deny(action, resource='*', **kw): return st('Deny', action, resource, **kw)

cases = []
def case(name, action, resource, expect, principal=ALICE, identity=(), boundary=None, session=(), resource_policy=None,
         scp=None, rcp=None, resource_account='', context=None, reason=None, statement=None, message=None):
    c = {'name': name, 'principal': principal, 'action': action, 'resource': resource, 'expect': expect}
    if identity: c['identity'] = list(identity)
    if boundary: c['boundary'] = boundary
    if session: c['session'] = list(session)
    if resource_policy: c['resource_policy'] = resource_policy
    if scp is not None: c['scp'] = scp
    if rcp is not None: c['rcp'] = rcp
    if resource_account: c['resource_account'] = resource_account
    if context: c['context'] = context
    if reason: c['reason'] = reason
    if statement: c['statement'] = statement
    if message: c['message'] = message
    cases.append(c)

ALLOW_ALL = pol('allow-all', 'Identity', allow('*', sid='All'))
FULL = pol('FullAWSAccess', 'SCP', allow('*', sid='FullAWSAccess'))

# ---------------- A. Action matching ----------------
p = pol('act-exact', 'Identity', allow('s3:GetObject', sid='Get'))
case('action exact', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=[p], statement='act-exact#0')
case('action case-insensitive (request)', 'S3:getobject', 'arn:aws:s3:::b/k', 'allowed', identity=[p])
case('action other', 's3:PutObject', 'arn:aws:s3:::b/k', 'implicitDeny', identity=[p], reason='identity-based policy')
case('action other service', 'ec2:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', identity=[p])
case('action prefix only', 's3:GetObjectAcl', 'arn:aws:s3:::b/k', 'implicitDeny', identity=[p])
p = pol('act-upper', 'Identity', allow('S3:GETOBJECT'))
case('action case-insensitive (policy)', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=[p])
p = pol('act-wild', 'Identity', allow(['s3:Get*', 'iam:*User', 'ec2:Describe?nstances', 'sqs:*']))
case('action trailing star', 's3:GetBucketPolicy', '*', 'allowed', identity=[p])
case('action trailing star empty', 's3:Get', '*', 'allowed', identity=[p])
case('action leading star', 'iam:CreateUser', '*', 'allowed', identity=[p])
case('action leading star no match', 'iam:CreateUserX', '*', 'implicitDeny', identity=[p])
case('action question mark', 'ec2:DescribeInstances', '*', 'allowed', identity=[p])
case('action question mark length', 'ec2:DescribeIInstances', '*', 'implicitDeny', identity=[p])
case('action service star', 'sqs:SendMessage', '*', 'allowed', identity=[p])
case('action star does not cross service', 'sqsx:SendMessage', '*', 'implicitDeny', identity=[p])
p = pol('act-svcwild', 'Identity', allow('*:Describe*'))
case('action star service', 'rds:DescribeDBInstances', '*', 'allowed', identity=[p])
case('action star service no match', 'rds:ListTags', '*', 'implicitDeny', identity=[p])
p = pol('act-notaction', 'Identity', allow('iam:*', notaction=True, sid='NotIAM'))
case('NotAction allows other service', 's3:GetObject', '*', 'allowed', identity=[p], statement='act-notaction#0')
case('NotAction excludes listed', 'iam:CreateUser', '*', 'implicitDeny', identity=[p])
case('NotAction excludes case-insensitively', 'IAM:createuser', '*', 'implicitDeny', identity=[p])
p = pol('act-notaction-deny', 'Identity', deny(['iam:ChangePassword', 'sts:*'], notaction=True, sid='OnlyPw'))
case('NotAction deny applies to others', 's3:GetObject', '*', 'explicitDeny', identity=[ALLOW_ALL, p], statement='act-notaction-deny#0', reason='identity-based policy')
case('NotAction deny skips listed', 'iam:ChangePassword', '*', 'allowed', identity=[ALLOW_ALL, p])
case('NotAction deny skips listed wildcard', 'sts:GetSessionToken', '*', 'allowed', identity=[ALLOW_ALL, p])
p = pol('act-all', 'Identity', allow('*'))
case('action star', 'anything:Anything', '*', 'allowed', identity=[p])

# ---------------- B. Resource matching ----------------
p = pol('res-s3', 'Identity', allow('s3:*', ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/home/*'], sid='S3'))
case('resource exact', 's3:ListBucket', 'arn:aws:s3:::bucket', 'allowed', identity=[p])
case('resource prefix differs', 's3:ListBucket', 'arn:aws:s3:::bucket2', 'implicitDeny', identity=[p])
case('resource star crosses slash', 's3:GetObject', 'arn:aws:s3:::bucket/home/a/b/c.txt', 'allowed', identity=[p])
case('resource star crosses colon in resource part', 's3:GetObject', 'arn:aws:s3:::bucket/home/a:b', 'allowed', identity=[p])
case('resource case-sensitive', 's3:GetObject', 'arn:aws:s3:::Bucket/home/a', 'implicitDeny', identity=[p])
case('resource outside prefix', 's3:GetObject', 'arn:aws:s3:::bucket/other/a', 'implicitDeny', identity=[p])
case('resource star request vs ARN pattern', 's3:ListAllMyBuckets', '*', 'implicitDeny', identity=[p])
p = pol('res-fields', 'Identity', allow('iam:*', 'arn:aws:iam::*:user/*'), allow('ec2:*', 'arn:aws:ec2:us-east-?:*:instance/*'),
        allow('sns:*', 'arn:aws:sns:*:111122223333:*'), allow('kms:*', 'arn:aws:kms:*:*:key/*'))
case('account wildcard', 'iam:GetUser', f'arn:aws:iam::{B}:user/x', 'allowed', identity=[p])
case('account wildcard wrong type', 'iam:GetRole', f'arn:aws:iam::{B}:role/x', 'implicitDeny', identity=[p])
case('region question mark', 'ec2:StartInstances', f'arn:aws:ec2:us-east-2:{A}:instance/i-1', 'allowed', identity=[p])
case('region question mark mismatch', 'ec2:StartInstances', f'arn:aws:ec2:us-west-2:{A}:instance/i-1', 'implicitDeny', identity=[p])
case('account field exact', 'sns:Publish', f'arn:aws:sns:us-east-1:{A}:topic', 'allowed', identity=[p])
case('account field mismatch', 'sns:Publish', f'arn:aws:sns:us-east-1:{B}:topic', 'implicitDeny', identity=[p])
case('region star does not swallow account', 'kms:Decrypt', f'arn:aws:kms:us-east-1:{A}:key/k', 'allowed', identity=[p])
p = pol('res-nocross', 'Identity', allow('ec2:*', 'arn:aws:ec2:*:instance/*'))
case('five-field pattern matches whole string', 'ec2:StartInstances', f'arn:aws:ec2:r:{A}:instance/i', 'allowed', identity=[p])
p = pol('res-nocross2', 'Identity', allow('ec2:*', 'arn:aws:ec2:*:*:instance/*'))
case('star in region field does not cross colon', 'ec2:StartInstances', f'arn:aws:ec2:r:{A}:x:instance/i', 'implicitDeny', identity=[p])
case('resource field may contain colons', 'ec2:StartInstances', f'arn:aws:ec2:r:{A}:instance/i:x', 'allowed', identity=[p])
case('non-ARN request resource', 'ec2:StartInstances', 'i-123', 'implicitDeny', identity=[p])
p = pol('res-notresource', 'Identity', allow('s3:*', 'arn:aws:s3:::secret/*', notresource=True, sid='NotSecret'))
case('NotResource allows others', 's3:GetObject', 'arn:aws:s3:::public/x', 'allowed', identity=[p], statement='res-notresource#0')
case('NotResource excludes listed', 's3:GetObject', 'arn:aws:s3:::secret/x', 'implicitDeny', identity=[p])
case('NotResource allows star request', 's3:ListAllMyBuckets', '*', 'allowed', identity=[p])
p = pol('res-notresource-deny', 'Identity', deny('s3:*', ['arn:aws:s3:::mine', 'arn:aws:s3:::mine/*'], notresource=True))
case('NotResource deny outside', 's3:GetObject', 'arn:aws:s3:::other/x', 'explicitDeny', identity=[ALLOW_ALL, p])
case('NotResource deny inside', 's3:GetObject', 'arn:aws:s3:::mine/x', 'allowed', identity=[ALLOW_ALL, p])
p = pol('res-star', 'Identity', allow('s3:*', '*'))
case('resource star matches star', 's3:ListAllMyBuckets', '*', 'allowed', identity=[p])
case('resource star matches ARN', 's3:GetObject', 'arn:aws:s3:::x/y', 'allowed', identity=[p])
case('empty request resource is star', 's3:ListAllMyBuckets', '', 'allowed', identity=[p])

# ---------------- C. Policy variables in Resource ----------------
p = pol('var-username', 'Identity', allow('s3:*', 'arn:aws:s3:::home/${aws:username}/*', sid='Home'),
        allow('iam:*', 'arn:aws:iam::*:user/${aws:username}'))
case('username variable', 's3:GetObject', 'arn:aws:s3:::home/alice/f', 'allowed', identity=[p], statement='var-username#0')
case('username variable other user', 's3:GetObject', 'arn:aws:s3:::home/bob/f', 'implicitDeny', identity=[p])
case('username variable exact', 'iam:ChangePassword', ALICE, 'allowed', identity=[p])
case('username variable role session has no username', 's3:GetObject', 'arn:aws:s3:::home/Deployer/f', 'implicitDeny', principal=SESSION, identity=[p])
case('username variable not in context key', 's3:GetObject', 'arn:aws:s3:::home/${aws:username}/f', 'implicitDeny', principal=SESSION, identity=[p])
p = pol('var-2008', 'Inline', allow('s3:*', 'arn:aws:s3:::home/${aws:username}/*'), version='2008-10-17')
case('2008 version does not substitute', 's3:GetObject', 'arn:aws:s3:::home/alice/f', 'implicitDeny', identity=[p])
case('2008 version literal text', 's3:GetObject', 'arn:aws:s3:::home/${aws:username}/f', 'allowed', identity=[p])
p = pol('var-noversion', 'Inline', allow('s3:*', 'arn:aws:s3:::home/${aws:username}/*'), version=None)
case('absent version does not substitute', 's3:GetObject', 'arn:aws:s3:::home/alice/f', 'implicitDeny', identity=[p])
p = pol('var-userid', 'Identity', allow('s3:*', 'arn:aws:s3:::ids/${aws:userid}/*'))
case('userid variable user', 's3:GetObject', 'arn:aws:s3:::ids/AIDAEXAMPLEALICE/f', 'allowed', identity=[p])
case('userid variable role session', 's3:GetObject', 'arn:aws:s3:::ids/AROAEXAMPLE:s1/f', 'allowed', principal=SESSION, identity=[p])
p = pol('var-tag', 'Identity', allow('s3:*', 'arn:aws:s3:::team-${aws:PrincipalTag/team}/*'))
case('principal tag variable', 's3:GetObject', 'arn:aws:s3:::team-red/f', 'allowed', identity=[p], context={'aws:PrincipalTag/team': 'red'})
case('principal tag variable case-insensitive key', 's3:GetObject', 'arn:aws:s3:::team-red/f', 'allowed', identity=[p], context={'aws:principaltag/TEAM': 'red'})
case('principal tag variable mismatch', 's3:GetObject', 'arn:aws:s3:::team-blue/f', 'implicitDeny', identity=[p], context={'aws:PrincipalTag/team': 'red'})
case('principal tag variable missing', 's3:GetObject', 'arn:aws:s3:::team-/f', 'implicitDeny', identity=[p])
case('multivalued key is not a variable value', 's3:GetObject', 'arn:aws:s3:::team-red/f', 'implicitDeny', identity=[p], context={'aws:PrincipalTag/team': ['red', 'blue']})
p = pol('var-account', 'Identity', allow('sqs:*', 'arn:aws:sqs:*:${aws:PrincipalAccount}:*'))
case('principal account variable', 'sqs:SendMessage', f'arn:aws:sqs:us-east-1:{A}:q', 'allowed', identity=[p])
case('principal account variable other', 'sqs:SendMessage', f'arn:aws:sqs:us-east-1:{B}:q', 'implicitDeny', identity=[p])
p = pol('var-srcid', 'Identity', allow('s3:*', 'arn:aws:s3:::audit/${aws:SourceIdentity}/*'))
case('source identity variable', 's3:PutObject', 'arn:aws:s3:::audit/jdoe/x', 'allowed', principal=SESSION, identity=[p], context={'aws:SourceIdentity': 'jdoe'})
case('source identity variable missing', 's3:PutObject', 'arn:aws:s3:::audit/jdoe/x', 'implicitDeny', principal=SESSION, identity=[p])
p = pol('var-default', 'Identity', allow('s3:*', "arn:aws:s3:::shared/${aws:PrincipalTag/team, 'none'}/*"))
case('variable default used', 's3:GetObject', 'arn:aws:s3:::shared/none/f', 'allowed', identity=[p])
case('variable default not used', 's3:GetObject', 'arn:aws:s3:::shared/red/f', 'allowed', identity=[p], context={'aws:PrincipalTag/team': 'red'})
case('variable default wrong', 's3:GetObject', 'arn:aws:s3:::shared/none/f', 'implicitDeny', identity=[p], context={'aws:PrincipalTag/team': 'red'})
p = pol('var-special', 'Identity', allow('s3:*', 'arn:aws:s3:::lit/${*}${?}${$}/*'))
case('special character variables are literal', 's3:GetObject', 'arn:aws:s3:::lit/*?$/f', 'allowed', identity=[p])
case('special character variables not wildcards', 's3:GetObject', 'arn:aws:s3:::lit/ab$/f', 'implicitDeny', identity=[p])
p = pol('var-request', 'Identity', allow('s3:*', 'arn:aws:s3:::b/${s3:prefix}*'))
case('request key variable', 's3:GetObject', 'arn:aws:s3:::b/pre/x', 'allowed', identity=[p], context={'s3:prefix': 'pre/'})
p = pol('var-deny-unresolved', 'Identity', deny('s3:*', 'arn:aws:s3:::home/${aws:username}/*'))
case('unresolvable variable: deny does not apply', 's3:GetObject', 'arn:aws:s3:::home/x/f', 'allowed', principal=SESSION, identity=[ALLOW_ALL, p])
p = pol('var-notres-unresolved', 'Identity', allow('s3:*', 'arn:aws:s3:::home/${aws:username}/*', notresource=True))
case('unresolvable variable in NotResource: statement does not apply', 's3:GetObject', 'arn:aws:s3:::other/f', 'implicitDeny', principal=SESSION, identity=[p])
case('resolved variable in NotResource applies', 's3:GetObject', 'arn:aws:s3:::other/f', 'allowed', identity=[p])
p = pol('var-account-field', 'Identity', allow('iam:*', 'arn:aws:iam::${aws:PrincipalAccount}:role/*'))
case('variable in account field', 'iam:GetRole', f'arn:aws:iam::{A}:role/r', 'allowed', identity=[p])
case('variable in account field mismatch', 'iam:GetRole', f'arn:aws:iam::{B}:role/r', 'implicitDeny', identity=[p])

# ---------------- D. Conditions through Evaluate ----------------
def cpol(name, cond, action='s3:GetObject'):
    return pol(name, 'Identity', allow(action, '*', sid='C', cond=cond))
def ccase(name, pname, expect, context=None, principal=ALICE, action='s3:GetObject'):
    case(name, action, 'arn:aws:s3:::b/k', expect, identity=[pname], context=context, principal=principal)
p = cpol('c-streq', {'StringEquals': {'aws:RequestedRegion': ['us-east-1', 'eu-west-1']}})
ccase('StringEquals value 1', p, 'allowed', {'aws:RequestedRegion': 'us-east-1'})
ccase('StringEquals value 2', p, 'allowed', {'aws:RequestedRegion': 'eu-west-1'})
ccase('StringEquals other', p, 'implicitDeny', {'aws:RequestedRegion': 'us-west-2'})
ccase('StringEquals missing', p, 'implicitDeny')
p = cpol('c-strneq', {'StringNotEquals': {'aws:RequestedRegion': 'us-east-1'}})
ccase('StringNotEquals match', p, 'implicitDeny', {'aws:RequestedRegion': 'us-east-1'})
ccase('StringNotEquals other', p, 'allowed', {'aws:RequestedRegion': 'us-west-2'})
ccase('StringNotEquals missing', p, 'allowed')
p = cpol('c-stric', {'StringEqualsIgnoreCase': {'aws:PrincipalTag/dept': 'Engineering'}})
ccase('StringEqualsIgnoreCase', p, 'allowed', {'aws:PrincipalTag/dept': 'ENGINEERING'})
ccase('StringEqualsIgnoreCase other', p, 'implicitDeny', {'aws:PrincipalTag/dept': 'Sales'})
p = cpol('c-strnic', {'StringNotEqualsIgnoreCase': {'aws:PrincipalTag/dept': 'Engineering'}})
ccase('StringNotEqualsIgnoreCase', p, 'implicitDeny', {'aws:PrincipalTag/dept': 'engineering'})
ccase('StringNotEqualsIgnoreCase other', p, 'allowed', {'aws:PrincipalTag/dept': 'Sales'})
p = cpol('c-strlike', {'StringLike': {'s3:prefix': ['home/${aws:username}/*', 'public/*']}})
ccase('StringLike with variable', p, 'allowed', {'s3:prefix': 'home/alice/docs'})
ccase('StringLike second value', p, 'allowed', {'s3:prefix': 'public/x'})
ccase('StringLike no match', p, 'implicitDeny', {'s3:prefix': 'home/bob/docs'})
p = cpol('c-strnotlike', {'StringNotLike': {'s3:prefix': 'private/*'}})
ccase('StringNotLike match', p, 'implicitDeny', {'s3:prefix': 'private/x'})
ccase('StringNotLike no match', p, 'allowed', {'s3:prefix': 'public/x'})
ccase('StringNotLike missing', p, 'allowed')
p = cpol('c-num', {'NumericLessThanEquals': {'s3:max-keys': '100'}})
ccase('NumericLessThanEquals below', p, 'allowed', {'s3:max-keys': '10'})
ccase('NumericLessThanEquals equal', p, 'allowed', {'s3:max-keys': '100'})
ccase('NumericLessThanEquals above', p, 'implicitDeny', {'s3:max-keys': '101'})
ccase('NumericLessThanEquals not a number', p, 'implicitDeny', {'s3:max-keys': 'ten'})
p = cpol('c-numgt', {'NumericGreaterThan': {'aws:MultiFactorAuthAge': '3600'}})
ccase('NumericGreaterThan above', p, 'allowed', {'aws:MultiFactorAuthAge': '7200'})
ccase('NumericGreaterThan below', p, 'implicitDeny', {'aws:MultiFactorAuthAge': '60'})
p = cpol('c-numne', {'NumericNotEquals': {'s3:max-keys': '5'}})
ccase('NumericNotEquals missing', p, 'allowed')
ccase('NumericNotEquals equal', p, 'implicitDeny', {'s3:max-keys': '5.0'})
p = cpol('c-date', {'DateGreaterThan': {'aws:CurrentTime': '2024-01-01T00:00:00Z'}, 'DateLessThan': {'aws:CurrentTime': '2024-12-31T23:59:59Z'}})
ccase('Date window inside', p, 'allowed', {'aws:CurrentTime': '2024-06-01T12:00:00Z'})
ccase('Date window before', p, 'implicitDeny', {'aws:CurrentTime': '2023-06-01T12:00:00Z'})
ccase('Date window after', p, 'implicitDeny', {'aws:CurrentTime': '2025-06-01T12:00:00Z'})
ccase('Date window missing', p, 'implicitDeny')
p = cpol('c-epoch', {'DateLessThan': {'aws:EpochTime': '1704067200'}})
ccase('Date epoch before', p, 'allowed', {'aws:EpochTime': '1704067199'})
ccase('Date epoch after', p, 'implicitDeny', {'aws:EpochTime': '1704067200'})
p = cpol('c-tokenage', {'DateGreaterThan': {'aws:TokenIssueTime': '2024-01-01T00:00:00Z'}})
ccase('Date ISO vs request ISO', p, 'allowed', {'aws:TokenIssueTime': '2024-01-01T00:00:01Z'})
p = cpol('c-bool', {'Bool': {'aws:MultiFactorAuthPresent': 'true'}})
ccase('Bool true', p, 'allowed', {'aws:MultiFactorAuthPresent': 'true'})
ccase('Bool false', p, 'implicitDeny', {'aws:MultiFactorAuthPresent': 'false'})
ccase('Bool missing', p, 'implicitDeny')
p = cpol('c-boolie', {'BoolIfExists': {'aws:MultiFactorAuthPresent': 'true'}})
ccase('BoolIfExists missing', p, 'allowed')
ccase('BoolIfExists false', p, 'implicitDeny', {'aws:MultiFactorAuthPresent': 'false'})
p = cpol('c-bin', {'BinaryEquals': {'s3:x-amz-key': 'QmluYXJ5VmFsdWVJbkJhc2U2NA=='}})
ccase('BinaryEquals', p, 'allowed', {'s3:x-amz-key': 'QmluYXJ5VmFsdWVJbkJhc2U2NA=='})
ccase('BinaryEquals other', p, 'implicitDeny', {'s3:x-amz-key': 'QQ=='})
p = cpol('c-ip', {'IpAddress': {'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32']}})
ccase('IpAddress v4 inside', p, 'allowed', {'aws:SourceIp': '192.0.2.10'})
ccase('IpAddress v6 inside', p, 'allowed', {'aws:SourceIp': '2001:db8:1::5'})
ccase('IpAddress outside', p, 'implicitDeny', {'aws:SourceIp': '198.51.100.1'})
ccase('IpAddress missing', p, 'implicitDeny')
p = pol('c-notip-deny', 'Identity', deny('*', '*', sid='DenyOutsideCorp', cond={'NotIpAddress': {'aws:SourceIp': '192.0.2.0/24'}}))
case('NotIpAddress deny outside', 's3:GetObject', '*', 'explicitDeny', identity=[ALLOW_ALL, p], context={'aws:SourceIp': '203.0.113.1'}, statement='c-notip-deny#0')
case('NotIpAddress deny inside', 's3:GetObject', '*', 'allowed', identity=[ALLOW_ALL, p], context={'aws:SourceIp': '192.0.2.1'})
case('NotIpAddress deny missing key applies', 's3:GetObject', '*', 'explicitDeny', identity=[ALLOW_ALL, p])
p = cpol('c-arnlike', {'ArnLike': {'aws:PrincipalArn': f'arn:aws:iam::{A}:role/app/*'}})
ccase('ArnLike PrincipalArn of role session is the role', p, 'allowed', principal=SESSION)
ccase('ArnLike PrincipalArn user', p, 'implicitDeny')
p = cpol('c-arneq', {'ArnEquals': {'aws:SourceArn': f'arn:aws:sns:us-east-1:{A}:topic'}})
ccase('ArnEquals', p, 'allowed', {'aws:SourceArn': f'arn:aws:sns:us-east-1:{A}:topic'})
ccase('ArnEquals other', p, 'implicitDeny', {'aws:SourceArn': f'arn:aws:sns:us-east-1:{A}:topic2'})
p = cpol('c-arnnotlike', {'ArnNotLike': {'aws:SourceArn': 'arn:aws:sns:*:*:internal-*'}})
ccase('ArnNotLike match', p, 'implicitDeny', {'aws:SourceArn': f'arn:aws:sns:us-east-1:{A}:internal-x'})
ccase('ArnNotLike other', p, 'allowed', {'aws:SourceArn': f'arn:aws:sns:us-east-1:{A}:x'})
ccase('ArnNotLike missing', p, 'allowed')
p = cpol('c-arnnoteq', {'ArnNotEquals': {'aws:SourceArn': 'arn:aws:sns:us-east-1:1:t'}})
ccase('ArnNotEquals missing', p, 'allowed')
p = cpol('c-null', {'Null': {'aws:TokenIssueTime': 'true'}})
ccase('Null true: long-term credentials', p, 'allowed')
ccase('Null true: temporary credentials', p, 'implicitDeny', {'aws:TokenIssueTime': '2024-01-01T00:00:00Z'})
p = cpol('c-nullf', {'Null': {'aws:RequestTag/owner': 'false'}})
ccase('Null false: tag present', p, 'allowed', {'aws:RequestTag/owner': 'me'})
ccase('Null false: tag absent', p, 'implicitDeny')
p = cpol('c-anyvalue', {'ForAnyValue:StringEquals': {'aws:TagKeys': ['env', 'owner']}})
ccase('ForAnyValue one matches', p, 'allowed', {'aws:TagKeys': ['env', 'x']})
ccase('ForAnyValue none matches', p, 'implicitDeny', {'aws:TagKeys': ['x', 'y']})
ccase('ForAnyValue empty set', p, 'implicitDeny', {'aws:TagKeys': []})
ccase('ForAnyValue missing', p, 'implicitDeny')
p = cpol('c-allvalues', {'ForAllValues:StringEquals': {'aws:TagKeys': ['env', 'owner']}})
ccase('ForAllValues all match', p, 'allowed', {'aws:TagKeys': ['env', 'owner']})
ccase('ForAllValues one extra', p, 'implicitDeny', {'aws:TagKeys': ['env', 'cost']})
ccase('ForAllValues empty set', p, 'allowed', {'aws:TagKeys': []})
ccase('ForAllValues missing', p, 'allowed')
p = cpol('c-allvalues-null', {'ForAllValues:StringEquals': {'aws:TagKeys': ['env']}, 'Null': {'aws:TagKeys': 'false'}})
ccase('ForAllValues with Null guard missing', p, 'implicitDeny')
ccase('ForAllValues with Null guard present', p, 'allowed', {'aws:TagKeys': ['env']})
p = cpol('c-calledvia', {'ForAnyValue:StringEquals': {'aws:CalledVia': 'cloudformation.amazonaws.com'}})
ccase('CalledVia any', p, 'allowed', {'aws:CalledVia': ['cloudformation.amazonaws.com', 'dynamodb.amazonaws.com']})
p = cpol('c-calledvia-first', {'StringEquals': {'aws:CalledViaFirst': 'cloudformation.amazonaws.com'}, 'Bool': {'aws:ViaAWSService': 'true'}})
ccase('CalledViaFirst and ViaAWSService', p, 'allowed', {'aws:CalledViaFirst': 'cloudformation.amazonaws.com', 'aws:ViaAWSService': 'true'})
ccase('CalledViaFirst wrong', p, 'implicitDeny', {'aws:CalledViaFirst': 'athena.amazonaws.com', 'aws:ViaAWSService': 'true'})
p = cpol('c-multikey', {'StringEquals': {'aws:PrincipalTag/dept': 'eng', 'aws:ResourceTag/dept': 'eng'}})
ccase('two keys both match', p, 'allowed', {'aws:PrincipalTag/dept': 'eng', 'aws:ResourceTag/dept': 'eng'})
ccase('two keys one mismatch', p, 'implicitDeny', {'aws:PrincipalTag/dept': 'eng', 'aws:ResourceTag/dept': 'ops'})
p = cpol('c-tagmatch', {'StringEquals': {'aws:ResourceTag/owner': '${aws:username}'}})
ccase('ResourceTag equals username', p, 'allowed', {'aws:ResourceTag/owner': 'alice'})
ccase('ResourceTag not username', p, 'implicitDeny', {'aws:ResourceTag/owner': 'bob'})
p = cpol('c-principaltype', {'StringEquals': {'aws:PrincipalType': 'AssumedRole', 'aws:PrincipalAccount': A}})
ccase('PrincipalType AssumedRole', p, 'allowed', principal=SESSION)
ccase('PrincipalType User', p, 'implicitDeny')
p = cpol('c-orgid', {'StringEquals': {'aws:PrincipalOrgID': 'o-abc123'}})
ccase('PrincipalOrgID match', p, 'allowed', {'aws:PrincipalOrgID': 'o-abc123'})
ccase('PrincipalOrgID other', p, 'implicitDeny', {'aws:PrincipalOrgID': 'o-zzz'})
p = cpol('c-secure', {'Bool': {'aws:SecureTransport': 'false'}})
ccase('SecureTransport false', p, 'allowed', {'aws:SecureTransport': 'false'})
p = cpol('c-resacct', {'StringEquals': {'aws:ResourceAccount': '${aws:PrincipalAccount}'}})
ccase('ResourceAccount defaults to principal account', p, 'allowed')
p = cpol('c-username-key', {'StringEquals': {'aws:username': 'alice', 'aws:userid': 'AIDAEXAMPLEALICE'}})
ccase('username and userid keys', p, 'allowed')
ccase('username key absent for role session', p, 'implicitDeny', principal=SESSION)
p = cpol('c-unknown-empty', {'StringEqualsAnything': {}})
ccase('unknown operator with empty block ignored', p, 'allowed')
p = cpol('c-ifexists-any', {'ForAnyValue:StringEqualsIfExists': {'aws:TagKeys': 'a'}})
ccase('ForAnyValue IfExists missing', p, 'allowed')
p = cpol('c-stringlist-single-op', {'StringEquals': {'aws:TagKeys': 'env'}})
ccase('multivalued key with single-valued operator does not match', p, 'implicitDeny', {'aws:TagKeys': ['env']})
p = cpol('c-requested-region-like', {'StringLike': {'aws:RequestedRegion': 'eu-*'}})
ccase('StringLike region', p, 'allowed', {'aws:RequestedRegion': 'eu-central-1'})

p = cpol('c-datenoteq', {'DateNotEquals': {'aws:CurrentTime': '2024-01-01T00:00:00Z'}})
ccase('DateNotEquals equal', p, 'implicitDeny', {'aws:CurrentTime': '2024-01-01T00:00:00Z'})
ccase('DateNotEquals other', p, 'allowed', {'aws:CurrentTime': '2024-01-02T00:00:00Z'})
p = cpol('c-allvalues-like-ifexists', {'ForAllValues:StringLikeIfExists': {'aws:TagKeys': ['env-*']}})
ccase('ForAllValues StringLike all match', p, 'allowed', {'aws:TagKeys': ['env-a', 'env-b']})
ccase('ForAllValues StringLike one fails', p, 'implicitDeny', {'aws:TagKeys': ['env-a', 'cost']})
p = cpol('c-requesttag', {'StringEquals': {'aws:RequestTag/Project': ['blue', 'green']}, 'ForAllValues:StringEquals': {'aws:TagKeys': ['Project']}})
ccase('RequestTag and TagKeys', p, 'allowed', {'aws:RequestTag/Project': 'green', 'aws:TagKeys': ['Project']})
ccase('RequestTag wrong value', p, 'implicitDeny', {'aws:RequestTag/Project': 'red', 'aws:TagKeys': ['Project']})
p = cpol('c-srcip-v6-deny', {'NotIpAddressIfExists': {'aws:SourceIp': ['2001:db8::/32']}})
ccase('NotIpAddressIfExists missing', p, 'allowed')
ccase('NotIpAddressIfExists inside', p, 'implicitDeny', {'aws:SourceIp': '2001:db8::9'})

# ---------------- E. Policy types ----------------
S3GET = allow('s3:GetObject', 'arn:aws:s3:::b/*', sid='AllowGet')
id_get = pol('id-get', 'Identity', S3GET)
id_deny_get = pol('id-deny-get', 'Identity', deny('s3:GetObject', '*', sid='DenyGet'))
case('identity allow', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=[id_get], reason='identity-based policy', statement='id-get#0')
case('identity none', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', reason='identity-based policy')
case('identity deny beats allow', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', identity=[id_get, id_deny_get], reason='identity-based policy', statement='id-deny-get#0')
case('identity deny order independent', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', identity=[id_deny_get, id_get], statement='id-deny-get#0')
id_multi = pol('id-multi', 'Identity', allow('s3:PutObject', 'arn:aws:s3:::b/*', sid='Put'), S3GET, deny('s3:DeleteObject', '*', sid='NoDelete'))
case('second statement allows', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=[id_multi], statement='id-multi#1')
case('allow in one of several policies', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=['act-notaction', id_get])
# Permissions boundary.
bnd_s3 = pol('bnd-s3', 'Boundary', allow('s3:*', '*', sid='S3Only'))
bnd_deny = pol('bnd-deny', 'Boundary', allow('*', '*'), deny('s3:GetObject', '*', sid='BoundaryDeny'))
case('boundary allows', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=[ALLOW_ALL], boundary=bnd_s3)
case('boundary does not allow', 'iam:CreateUser', '*', 'implicitDeny', identity=[ALLOW_ALL], boundary=bnd_s3, reason='permissions boundary')
case('boundary allows but identity does not', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', boundary=bnd_s3, reason='identity-based policy')
case('boundary deny', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', identity=[ALLOW_ALL], boundary=bnd_deny, reason='permissions boundary', statement='bnd-deny#1')
case('boundary on role session', 'iam:CreateUser', '*', 'implicitDeny', principal=SESSION, identity=[ALLOW_ALL], boundary=bnd_s3, reason='permissions boundary')
# Session policies.
ses_s3 = pol('ses-s3', 'Session', allow('s3:*', '*', sid='SessionS3'))
ses_deny = pol('ses-deny', 'Session', allow('*', '*'), deny('s3:GetObject', '*', sid='SessionDeny'))
case('role session without session policy', 'iam:CreateUser', '*', 'allowed', principal=SESSION, identity=[ALLOW_ALL])
case('role session with session policy allows', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', principal=SESSION, identity=[ALLOW_ALL], session=[ses_s3])
case('role session with session policy no allow', 'iam:CreateUser', '*', 'implicitDeny', principal=SESSION, identity=[ALLOW_ALL], session=[ses_s3], reason='session policy')
case('session policy cannot grant beyond identity', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', principal=SESSION, session=[ses_s3], reason='identity-based policy')
case('session policy deny', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', principal=SESSION, identity=[ALLOW_ALL], session=[ses_deny], reason='session policy')
case('several session policies: one allows', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', principal=SESSION, identity=[ALLOW_ALL], session=['ses-none', ses_s3])
pol('ses-none', 'Session', allow('ec2:*', '*'))
FEDP = FED + '|' + ALICE
case('resource policy names user behind federated session: session policy needed', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', principal=FEDP, resource_policy='rp-user', reason='session policy')
case('resource policy names user behind federated session: session policy allows', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', principal=FEDP, resource_policy='rp-user', session=[ses_s3], reason='resource-based policy')
case('resource policy names user behind federated session: session policy does not allow', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', principal=FEDP, resource_policy='rp-user', session=['ses-none'], reason='session policy')
case('federated user with session policy', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', principal=FED, identity=[ALLOW_ALL], session=[ses_s3])
case('federated user without session policy', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', principal=FED, identity=[ALLOW_ALL], reason='session policy')
case('boundary and session both needed', 'iam:CreateUser', '*', 'implicitDeny', principal=SESSION, identity=[ALLOW_ALL], boundary='bnd-iam', session=[ses_s3], reason='session policy')
pol('bnd-iam', 'Boundary', allow('iam:*', '*'))
# SCPs.
scp_deny_s3 = pol('scp-deny-s3', 'SCP', deny('s3:*', '*', sid='DenyS3'))
scp_ec2 = pol('scp-ec2', 'SCP', allow('ec2:*', '*'))
case('SCP all levels allow', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=[ALLOW_ALL], scp=[[FULL], [FULL], [FULL]])
case('SCP missing allow at OU', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', identity=[ALLOW_ALL], scp=[[FULL], [scp_ec2], [FULL]], reason='service control policy')
case('SCP missing allow at account', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', identity=[ALLOW_ALL], scp=[[FULL], [FULL], [scp_ec2]], reason='service control policy')
case('SCP empty level', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', identity=[ALLOW_ALL], scp=[[FULL], []], reason='service control policy')
case('SCP deny at OU', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', identity=[ALLOW_ALL], scp=[[FULL], [FULL, scp_deny_s3], [FULL]], reason='service control policy', statement='scp-deny-s3#0')
case('SCP allows other service only', 'ec2:RunInstances', '*', 'allowed', identity=[ALLOW_ALL], scp=[[FULL], [scp_ec2]])
case('SCP does not grant', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', scp=[[FULL]], reason='identity-based policy')
case('SCP applies to root', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', principal=ROOT, scp=[[FULL, scp_deny_s3]], reason='service control policy')
case('SCP no allow applies to root', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', principal=ROOT, scp=[[scp_ec2]], reason='service control policy')
case('SCP not applicable (nil)', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=[ALLOW_ALL])
scp_cond = pol('scp-region', 'SCP', deny('*', '*', sid='DenyOtherRegions', cond={'StringNotEquals': {'aws:RequestedRegion': ['us-east-1']}}), allow('*'))
case('SCP region deny other region', 'ec2:RunInstances', '*', 'explicitDeny', identity=[ALLOW_ALL], scp=[[scp_cond]], context={'aws:RequestedRegion': 'eu-west-1'})
case('SCP region deny allowed region', 'ec2:RunInstances', '*', 'allowed', identity=[ALLOW_ALL], scp=[[scp_cond]], context={'aws:RequestedRegion': 'us-east-1'})
scp_notaction = pol('scp-notaction', 'SCP', deny(['iam:*', 'sts:*'], '*', notaction=True, cond={'StringNotEquals': {'aws:RequestedRegion': 'us-east-1'}}), allow('*'))
case('SCP NotAction deny global services exempt', 'iam:CreateUser', '*', 'allowed', identity=[ALLOW_ALL], scp=[[scp_notaction]], context={'aws:RequestedRegion': 'eu-west-1'})
case('SCP NotAction deny regional service', 'ec2:RunInstances', '*', 'explicitDeny', identity=[ALLOW_ALL], scp=[[scp_notaction]], context={'aws:RequestedRegion': 'eu-west-1'})
# RCPs.
rcp_full = pol('RCPFullAWSAccess', 'RCP', allow('*', '*', principal='*'))
rcp_deny = pol('rcp-deny-http', 'RCP', deny('s3:*', '*', sid='EnforceTLS', principal='*', cond={'BoolIfExists': {'aws:SecureTransport': 'false'}}))
rcp_s3only = pol('rcp-s3only', 'RCP', allow('s3:*', '*', principal='*'))
case('RCP allows', 's3:GetObject', 'arn:aws:s3:::b/k', 'allowed', identity=[ALLOW_ALL], rcp=[[rcp_full], [rcp_full, rcp_deny]], context={'aws:SecureTransport': 'true'})
case('RCP deny', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', identity=[ALLOW_ALL], rcp=[[rcp_full], [rcp_full, rcp_deny]], context={'aws:SecureTransport': 'false'}, reason='resource control policy', statement='rcp-deny-http#0')
case('RCP deny IfExists missing key', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', identity=[ALLOW_ALL], rcp=[[rcp_full, rcp_deny]])
case('RCP no allow at a level', 'sqs:SendMessage', '*', 'implicitDeny', identity=[ALLOW_ALL], rcp=[[rcp_full], [rcp_s3only]], reason='resource control policy')
case('RCP applies to root', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', principal=ROOT, rcp=[[rcp_full, rcp_deny]], context={'aws:SecureTransport': 'false'})
case('RCP does not grant', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicitDeny', rcp=[[rcp_full]], reason='identity-based policy')
case('RCP deny reported before SCP deny', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicitDeny', identity=[ALLOW_ALL], scp=[[FULL, scp_deny_s3]], rcp=[[rcp_full, rcp_deny]], reason='resource control policy')
# Resource-based policies, same account.
def rp(name, *principals_stmts):
    return pol(name, 'Resource', *principals_stmts)
rp_user = rp('rp-user', allow('s3:GetObject', 'arn:aws:s3:::b/*', sid='User', principal={'AWS': ALICE}))
rp_acct = rp('rp-account', allow('s3:GetObject', 'arn:aws:s3:::b/*', sid='Account', principal={'AWS': A}))
rp_root = rp('rp-root', allow('s3:GetObject', 'arn:aws:s3:::b/*', sid='Root', principal={'AWS': ROOT}))
rp_role = rp('rp-role', allow('s3:GetObject', 'arn:aws:s3:::b/*', sid='Role', principal={'AWS': ROLE}))
rp_session = rp('rp-session', allow('s3:GetObject', 'arn:aws:s3:::b/*', sid='Session', principal={'AWS': SESSION_ARN}))
rp_star = rp('rp-star', allow('s3:GetObject', 'arn:aws:s3:::b/*', sid='Public', principal='*'))
rp_awsstar = rp('rp-awsstar', allow('s3:GetObject', 'arn:aws:s3:::b/*', principal={'AWS': '*'}))
rp_fed = rp('rp-fed', allow('s3:GetObject', 'arn:aws:s3:::b/*', principal={'AWS': FED}))
rp_deny_user = rp('rp-deny-user', deny('s3:GetObject', 'arn:aws:s3:::b/*', sid='DenyAlice', principal={'AWS': ALICE}))
rp_deny_acct = rp('rp-deny-account', deny('s3:*', 'arn:aws:s3:::b/*', principal={'AWS': A}))
K = 'arn:aws:s3:::b/k'
case('resource policy names user: no identity policy needed', 's3:GetObject', K, 'allowed', resource_policy=rp_user, reason='resource-based policy', statement='rp-user#0')
case('resource policy names user: boundary implicit deny ignored', 's3:GetObject', K, 'allowed', resource_policy=rp_user, identity=[ALLOW_ALL], boundary='bnd-iam')
case('resource policy names other user', 's3:GetObject', K, 'implicitDeny', principal=BOB, resource_policy=rp_user, reason='identity-based policy')
case('resource policy names account: delegates to identity (none)', 's3:GetObject', K, 'implicitDeny', resource_policy=rp_acct, reason='identity-based policy')
case('resource policy names account: identity allows', 's3:GetObject', K, 'allowed', resource_policy=rp_acct, identity=[id_get])
case('resource policy names account root ARN: delegates', 's3:GetObject', K, 'implicitDeny', resource_policy=rp_root)
case('resource policy names role: no identity needed', 's3:GetObject', K, 'allowed', principal=SESSION, resource_policy=rp_role, reason='resource-based policy', statement='rp-role#0')
case('resource policy names role: boundary implicit deny applies', 's3:GetObject', K, 'implicitDeny', principal=SESSION, resource_policy=rp_role, boundary='bnd-iam', reason='permissions boundary')
case('resource policy names role: session policy implicit deny applies', 's3:GetObject', K, 'implicitDeny', principal=SESSION, resource_policy=rp_role, session=['ses-none'], reason='session policy')
case('resource policy names role: boundary allows', 's3:GetObject', K, 'allowed', principal=SESSION, resource_policy=rp_role, boundary=bnd_s3)
case('resource policy names session: boundary ignored', 's3:GetObject', K, 'allowed', principal=SESSION, resource_policy=rp_session, boundary='bnd-iam', session=['ses-none'], statement='rp-session#0')
case('resource policy names session: other session', 's3:GetObject', K, 'implicitDeny', principal=f'arn:aws:sts::{A}:assumed-role/Deployer/s2', resource_policy=rp_session)
case('resource policy names federated user session', 's3:GetObject', K, 'allowed', principal=FED, resource_policy=rp_fed)
case('resource policy star: user allowed', 's3:GetObject', K, 'allowed', resource_policy=rp_star, reason='resource-based policy')
case('resource policy star: boundary applies', 's3:GetObject', K, 'implicitDeny', resource_policy=rp_star, boundary='bnd-iam', reason='permissions boundary')
case('resource policy AWS star: role session', 's3:GetObject', K, 'allowed', principal=SESSION, resource_policy=rp_awsstar)
case('resource policy deny names user', 's3:GetObject', K, 'explicitDeny', resource_policy=rp_deny_user, identity=[ALLOW_ALL], reason='resource-based policy', statement='rp-deny-user#0')
case('resource policy deny names other user', 's3:GetObject', K, 'allowed', principal=BOB, resource_policy=rp_deny_user, identity=[ALLOW_ALL])
case('resource policy deny names account: applies to users', 's3:GetObject', K, 'explicitDeny', resource_policy=rp_deny_acct, identity=[ALLOW_ALL])
case('resource policy deny names account: applies to role sessions', 's3:GetObject', K, 'explicitDeny', principal=SESSION, resource_policy=rp_deny_acct, identity=[ALLOW_ALL])
case('resource policy resource mismatch', 's3:GetObject', 'arn:aws:s3:::other/k', 'implicitDeny', resource_policy=rp_user)
case('resource policy and identity both allow', 's3:GetObject', K, 'allowed', resource_policy=rp_user, identity=[id_get])
rp_np = rp('rp-notprincipal', deny('s3:*', 'arn:aws:s3:::b/*', sid='OnlyAlice', principal={'AWS': [ALICE, ROOT]}, notprincipal=True))
case('NotPrincipal deny exempts listed user', 's3:GetObject', K, 'allowed', resource_policy=rp_np, identity=[ALLOW_ALL])
case('NotPrincipal deny applies to others', 's3:GetObject', K, 'explicitDeny', principal=BOB, resource_policy=rp_np, identity=[ALLOW_ALL], statement='rp-notprincipal#0')
rp_np2 = rp('rp-notprincipal-role', deny('s3:*', 'arn:aws:s3:::b/*', principal={'AWS': [ROLE, ROOT]}, notprincipal=True))
case('NotPrincipal listing role only does not exempt session', 's3:GetObject', K, 'explicitDeny', principal=SESSION, resource_policy=rp_np2, identity=[ALLOW_ALL])
rp_np3 = rp('rp-notprincipal-session', deny('s3:*', 'arn:aws:s3:::b/*', principal={'AWS': [ROLE, SESSION_ARN, ROOT]}, notprincipal=True))
case('NotPrincipal listing role, session and account exempts session', 's3:GetObject', K, 'allowed', principal=SESSION, resource_policy=rp_np3, identity=[ALLOW_ALL])
rp_np4 = rp('rp-notprincipal-noacct', deny('s3:*', 'arn:aws:s3:::b/*', principal={'AWS': [ALICE]}, notprincipal=True))
case('NotPrincipal without account ARN does not exempt', 's3:GetObject', K, 'explicitDeny', resource_policy=rp_np4, identity=[ALLOW_ALL])
case('NotPrincipal exempts root of account', 's3:GetObject', K, 'allowed', principal=ROOT, resource_policy=rp_np)
# Cross-account.
rp_x_user = rp('rp-x-user', allow('s3:GetObject', 'arn:aws:s3:::b/*', sid='Carol', principal={'AWS': XUSER}))
rp_x_acct = rp('rp-x-account', allow('s3:GetObject', 'arn:aws:s3:::b/*', principal={'AWS': f'arn:aws:iam::{B}:root'}))
rp_x_role = rp('rp-x-role', allow('s3:GetObject', 'arn:aws:s3:::b/*', principal={'AWS': XROLE}))
case('cross-account: both allow', 's3:GetObject', K, 'allowed', principal=XUSER, identity=[id_get], resource_policy=rp_x_user, resource_account=A)
case('cross-account: only resource policy', 's3:GetObject', K, 'implicitDeny', principal=XUSER, resource_policy=rp_x_user, resource_account=A, reason='identity-based policy')
case('cross-account: only identity policy', 's3:GetObject', K, 'implicitDeny', principal=XUSER, identity=[id_get], resource_account=A, reason='resource-based policy')
case('cross-account: resource policy for other principal', 's3:GetObject', K, 'implicitDeny', principal=XUSER, identity=[id_get], resource_policy=rp_user, resource_account=A, reason='resource-based policy')
case('cross-account: account principal', 's3:GetObject', K, 'allowed', principal=XUSER, identity=[id_get], resource_policy=rp_x_acct, resource_account=A)
case('cross-account: role ARN covers its sessions', 's3:GetObject', K, 'allowed', principal=XSESSION, identity=[id_get], resource_policy=rp_x_role, resource_account=A)
case('cross-account: boundary still applies', 's3:GetObject', K, 'implicitDeny', principal=XSESSION, identity=[id_get], boundary='bnd-iam', resource_policy=rp_x_role, resource_account=A, reason='permissions boundary')
case('cross-account: resource deny', 's3:GetObject', K, 'explicitDeny', principal=XUSER, identity=[ALLOW_ALL], resource_policy=rp('rp-x-deny', allow('s3:*', '*', principal='*'), deny('s3:GetObject', '*', principal={'AWS': XUSER})), resource_account=A)
case('cross-account: root of other account needs resource policy', 's3:GetObject', K, 'implicitDeny', principal=f'arn:aws:iam::{B}:root', resource_account=A, reason='resource-based policy')
case('cross-account: root with account principal', 's3:GetObject', K, 'allowed', principal=f'arn:aws:iam::{B}:root', resource_policy=rp_x_acct, resource_account=A)
case('cross-account: SCP of caller applies', 's3:GetObject', K, 'explicitDeny', principal=XUSER, identity=[id_get], resource_policy=rp_x_user, resource_account=A, scp=[[FULL, scp_deny_s3]])
case('cross-account: star resource policy', 's3:GetObject', K, 'allowed', principal=XUSER, identity=[id_get], resource_policy=rp_star, resource_account=A)
# Trust policies (role is the resource).
R = f'arn:aws:iam::{A}:role/Target'
tr_user = pol('trust-user', 'Trust', allow('sts:AssumeRole', None, sid='TrustAlice', principal={'AWS': ALICE}))
tr_acct = pol('trust-account', 'Trust', allow('sts:AssumeRole', None, principal={'AWS': A}))
tr_xacct = pol('trust-x-account', 'Trust', allow('sts:AssumeRole', None, principal={'AWS': f'arn:aws:iam::{B}:root'}))
tr_svc = pol('trust-ec2', 'Trust', allow(['sts:AssumeRole', 'sts:TagSession'], None, principal={'Service': 'ec2.amazonaws.com'}))
tr_oidc = pol('trust-oidc', 'Trust', allow('sts:AssumeRoleWithWebIdentity', None, principal={'Federated': f'arn:aws:iam::{A}:oidc-provider/token.actions.githubusercontent.com'},
              cond={'StringEquals': {'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com'}, 'StringLike': {'token.actions.githubusercontent.com:sub': 'repo:org/*'}}))
tr_saml = pol('trust-saml', 'Trust', allow('sts:AssumeRoleWithSAML', None, principal={'Federated': f'arn:aws:iam::{A}:saml-provider/Okta'}, cond={'StringEquals': {'SAML:aud': 'https://signin.aws.amazon.com/saml'}}))
tr_deny = pol('trust-deny', 'Trust', allow('sts:AssumeRole', None, principal={'AWS': A}), deny('sts:AssumeRole', None, sid='NoBob', principal={'AWS': BOB}))
id_assume = pol('id-assume', 'Identity', allow('sts:AssumeRole', f'arn:aws:iam::*:role/*', sid='Assume'))
def trust(name, principal, tp, expect, identity=(), resource_account='', action='sts:AssumeRole', **kw):
    case(name, action, R, expect, principal=principal, identity=identity, resource_policy=tp, resource_account=resource_account, **kw)
trust('trust names user: no identity permission needed', ALICE, tr_user, 'allowed', reason='resource-based policy', statement='trust-user#0')
trust('trust names account: identity permission needed', ALICE, tr_acct, 'implicitDeny', reason='identity-based policy')
trust('trust names account: identity allows', ALICE, tr_acct, 'allowed', identity=[id_assume])
trust('trust does not name caller: identity allow is not enough', BOB, tr_user, 'implicitDeny', identity=[id_assume], reason='resource-based policy')
trust('trust explicit deny', BOB, tr_deny, 'explicitDeny', identity=[id_assume], reason='resource-based policy')
trust('trust cross-account: both sides', XUSER, tr_xacct, 'allowed', identity=[id_assume], resource_account=A)
trust('trust cross-account: no identity permission', XUSER, tr_xacct, 'implicitDeny', resource_account=A, reason='identity-based policy')
trust('trust cross-account: account not trusted', XUSER, tr_acct, 'implicitDeny', identity=[id_assume], resource_account=A, reason='resource-based policy')
trust('trust service principal', 'ec2.amazonaws.com', tr_svc, 'allowed', resource_account=A)
trust('trust service principal TagSession', 'ec2.amazonaws.com', tr_svc, 'allowed', resource_account=A, action='sts:TagSession')
trust('trust other service principal', 'lambda.amazonaws.com', tr_svc, 'implicitDeny', resource_account=A, reason='resource-based policy')
trust('trust web identity with matching claims', f'arn:aws:iam::{A}:oidc-provider/token.actions.githubusercontent.com', tr_oidc, 'allowed', resource_account=A, action='sts:AssumeRoleWithWebIdentity',
      context={'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main'})
trust('trust web identity wrong repo', f'arn:aws:iam::{A}:oidc-provider/token.actions.githubusercontent.com', tr_oidc, 'implicitDeny', resource_account=A, action='sts:AssumeRoleWithWebIdentity',
      context={'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:evil/app:ref:refs/heads/main'})
trust('trust web identity other provider', f'arn:aws:iam::{A}:oidc-provider/accounts.google.com', tr_oidc, 'implicitDeny', resource_account=A, action='sts:AssumeRoleWithWebIdentity',
      context={'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:org/app'})
trust('trust SAML', f'arn:aws:iam::{A}:saml-provider/Okta', tr_saml, 'allowed', resource_account=A, action='sts:AssumeRoleWithSAML', context={'SAML:aud': 'https://signin.aws.amazon.com/saml'})
trust('trust SAML wrong audience', f'arn:aws:iam::{A}:saml-provider/Okta', tr_saml, 'implicitDeny', resource_account=A, action='sts:AssumeRoleWithSAML', context={'SAML:aud': 'x'})
trust('trust role chaining: role session named by account', SESSION, tr_acct, 'allowed', identity=[id_assume])
trust('trust root of same account', ROOT, tr_acct, 'allowed')
trust('trust root not trusted', ROOT, tr_svc, 'implicitDeny', reason='resource-based policy')
# Root user.
case('root allowed without policies', 'iam:CreateUser', '*', 'allowed', principal=ROOT)
case('root denied by resource policy', 's3:GetObject', K, 'explicitDeny', principal=ROOT, resource_policy=rp('rp-deny-root', deny('s3:*', '*', principal={'AWS': ROOT})))
case('root denied by account-principal resource deny', 's3:GetObject', K, 'explicitDeny', principal=ROOT, resource_policy=rp_deny_acct)
# Anonymous and services.
case('anonymous with public resource policy', 's3:GetObject', K, 'allowed', principal='anonymous', resource_policy=rp_star, resource_account=A)
case('anonymous without resource policy', 's3:GetObject', K, 'implicitDeny', principal='anonymous', resource_account=A, reason='resource-based policy')
case('anonymous not matched by AWS account principal', 's3:GetObject', K, 'implicitDeny', principal='anonymous', resource_policy=rp_acct, resource_account=A)
rp_svc = rp('rp-svc', allow('sqs:SendMessage', '*', principal={'Service': 'sns.amazonaws.com'}, cond={'ArnEquals': {'aws:SourceArn': f'arn:aws:sns:us-east-1:{A}:t'}}))
case('service principal with SourceArn', 'sqs:SendMessage', f'arn:aws:sqs:us-east-1:{A}:q', 'allowed', principal='sns.amazonaws.com', resource_policy=rp_svc, resource_account=A, context={'aws:SourceArn': f'arn:aws:sns:us-east-1:{A}:t'})
case('service principal wrong SourceArn', 'sqs:SendMessage', f'arn:aws:sqs:us-east-1:{A}:q', 'implicitDeny', principal='sns.amazonaws.com', resource_policy=rp_svc, resource_account=A, context={'aws:SourceArn': f'arn:aws:sns:us-east-1:{B}:t'})
case('GetCallerIdentity needs no permission', 'sts:GetCallerIdentity', '*', 'allowed', principal=BOB)
case('GetCallerIdentity even with deny', 'sts:GetCallerIdentity', '*', 'allowed', principal=BOB, identity=[pol('deny-all', 'Identity', deny('*'))])
case('deny all policy', 'sts:GetSessionToken', '*', 'explicitDeny', principal=BOB, identity=[ALLOW_ALL, 'deny-all'])

# ---------------- F. Access denied messages ----------------
m = lambda who, action, res, tail: f'User: {who} is not authorized to perform: {action}' + (f' on resource: {res}' if res not in ('', '*') else '') + tail
RX = f'arn:aws:iam::{A}:role/x'
case('message: no identity-based policy', 'iam:CreateRole', RX, 'implicitDeny', identity=[id_get],
     message=m(ALICE, 'iam:CreateRole', RX, ' because no identity-based policy allows the iam:CreateRole action'))
case('message: explicit deny in identity-based policy (inline)', 'iam:CreateRole', RX, 'explicitDeny', identity=['deny-all'],
     message=m(ALICE, 'iam:CreateRole', RX, ' with an explicit deny in an identity-based policy'))
MANAGED = f'arn:aws:iam::{A}:policy/DenyIAM'
policies[MANAGED] = {'kind': 'Identity', 'doc': {'Version': V, 'Statement': [deny('iam:*', '*', sid='DenyIAM')]}}
case('message: explicit deny in managed identity-based policy', 'iam:CreateRole', RX, 'explicitDeny', identity=[ALLOW_ALL, MANAGED], statement=MANAGED + '#0',
     message=m(ALICE, 'iam:CreateRole', RX, f' with an explicit deny in an identity-based policy: {MANAGED}'))
case('message: no permissions boundary', 'iam:CreateRole', RX, 'implicitDeny', identity=[ALLOW_ALL], boundary=bnd_s3,
     message=m(ALICE, 'iam:CreateRole', RX, ' because no permissions boundary allows the iam:CreateRole action'))
case('message: explicit deny in permissions boundary', 's3:GetObject', K, 'explicitDeny', identity=[ALLOW_ALL], boundary=bnd_deny,
     message=m(ALICE, 's3:GetObject', K, ' with an explicit deny in a permissions boundary'))
case('message: no session policy', 'iam:CreateRole', RX, 'implicitDeny', principal=SESSION, identity=[ALLOW_ALL], session=[ses_s3],
     message=m(SESSION_ARN, 'iam:CreateRole', RX, ' because no session policy allows the iam:CreateRole action'))
case('message: explicit deny in session policy', 's3:GetObject', K, 'explicitDeny', principal=SESSION, identity=[ALLOW_ALL], session=[ses_deny],
     message=m(SESSION_ARN, 's3:GetObject', K, ' with an explicit deny in a session policy'))
case('message: explicit deny in SCP', 'iam:CreateRole', RX, 'explicitDeny', identity=[ALLOW_ALL], scp=[[FULL, pol('scp-deny-iam', 'SCP', deny('iam:*'))]],
     message=m(ALICE, 'iam:CreateRole', RX, ' with an explicit deny in a service control policy'))
SCPARN = 'arn:aws:organizations::999988887777:policy/o-abcdefghij/service_control_policy/p-examplepolicy'
policies[SCPARN] = {'kind': 'SCP', 'doc': {'Version': V, 'Statement': [deny('iam:*')]}}
case('message: explicit deny in SCP with ARN', 'iam:CreateRole', RX, 'explicitDeny', identity=[ALLOW_ALL], scp=[[FULL, SCPARN]],
     message=m(ALICE, 'iam:CreateRole', RX, f' with an explicit deny in a service control policy: {SCPARN}'))
case('message: no SCP allows', 'iam:CreateRole', RX, 'implicitDeny', identity=[ALLOW_ALL], scp=[[scp_ec2]],
     message=m(ALICE, 'iam:CreateRole', RX, ' because no service control policy allows the iam:CreateRole action'))
case('message: explicit deny in RCP', 's3:GetObject', K, 'explicitDeny', identity=[ALLOW_ALL], rcp=[[rcp_full, rcp_deny]], context={'aws:SecureTransport': 'false'},
     message=m(ALICE, 's3:GetObject', K, ' with an explicit deny in a resource control policy'))
case('message: no RCP allows', 'sqs:SendMessage', f'arn:aws:sqs:us-east-1:{A}:q', 'implicitDeny', identity=[ALLOW_ALL], rcp=[[rcp_s3only]],
     message=m(ALICE, 'sqs:SendMessage', f'arn:aws:sqs:us-east-1:{A}:q', ' because no resource control policy allows the sqs:SendMessage action'))
case('message: no resource-based policy (cross-account)', 's3:GetObject', K, 'implicitDeny', principal=XUSER, identity=[id_get], resource_account=A,
     message=m(XUSER, 's3:GetObject', K, ' because no resource-based policy allows the s3:GetObject action'))
case('message: explicit deny in resource-based policy', 's3:GetObject', K, 'explicitDeny', identity=[ALLOW_ALL], resource_policy=rp_deny_user,
     message=m(ALICE, 's3:GetObject', K, ' with an explicit deny in a resource-based policy'))
case('message: no resource on star', 'codecommit:ListRepositories', '*', 'implicitDeny',
     message=m(ALICE, 'codecommit:ListRepositories', '*', ' because no identity-based policy allows the codecommit:ListRepositories action'))
case('message: trust policy does not allow', 'sts:AssumeRole', R, 'implicitDeny', principal=BOB, identity=[id_assume], resource_policy=tr_user,
     message=m(BOB, 'sts:AssumeRole', R, ''))
case('message: trust policy explicit deny', 'sts:AssumeRole', R, 'explicitDeny', principal=BOB, identity=[id_assume], resource_policy=tr_deny,
     message=m(BOB, 'sts:AssumeRole', R, ' with an explicit deny in the role trust policy'))
case('message: anonymous', 's3:GetObject', K, 'implicitDeny', principal='anonymous', resource_account=A,
     message=m('anonymous', 's3:GetObject', K, ' because no resource-based policy allows the s3:GetObject action'))
case('message: assumed role no identity', 'iam:ListRoles', '*', 'implicitDeny', principal=SESSION,
     message=m(SESSION_ARN, 'iam:ListRoles', '*', ' because no identity-based policy allows the iam:ListRoles action'))
case('message: root SCP', 's3:GetObject', K, 'explicitDeny', principal=ROOT, scp=[[FULL, scp_deny_s3]],
     message=m(ROOT, 's3:GetObject', K, ' with an explicit deny in a service control policy'))

json.dump({'description': 'iamd authorization corpus: policies + request + expected decision (see SOURCE.md)',
           'policies': policies, 'cases': cases}, open(sys.argv[1], 'w'), indent=1)
print(len(cases), 'cases,', len(policies), 'policies')
