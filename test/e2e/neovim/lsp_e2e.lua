-- Layer 3: Neovim 0.7 (Debian) headless, its built-in LSP client, the bundled server over --stdio.
-- Driven by run-neovim.mjs, which writes the expectations (from the CLI) and reads the result file.
--
-- env: CHECKS=diagnostics (skip hover and fix), NODE (node binary), SERVER_JS (the server bundle from the VSIX), WS (workspace copy),
--      EXPECTED (json: { files = { [rel] = { "line:rule", ... } }, order = { rel, ... }, fix = {...}, hover = {...} }),
--      RESULT (json written here), TIMEOUT_MS
-- Exit code: 0 pass, 1 fail (details in RESULT and on stderr).
local env = function(k) return assert(os.getenv(k), 'missing env ' .. k) end
local WS, RESULT = env('WS'), env('RESULT')
local TIMEOUT = tonumber(os.getenv('TIMEOUT_MS') or '20000')
local expected = vim.fn.json_decode(table.concat(vim.fn.readfile(env('EXPECTED')), '\n'))
local result = { steps = {}, files = {}, failures = {} }
local t0 = vim.loop.hrtime()

local function elapsed() return string.format('%.2fs', (vim.loop.hrtime() - t0) / 1e9) end
local function stepok(msg) table.insert(result.steps, elapsed() .. ' ' .. msg) end
local function finish()
  local ok = #result.failures == 0
  result.ok = ok
  vim.fn.writefile({ vim.fn.json_encode(result) }, RESULT)
  vim.cmd(ok and 'qa!' or 'cquit 1')
end
local function fail(msg) table.insert(result.failures, elapsed() .. ' ' .. msg) end

-- Remember which documents the server published diagnostics for (a file with no findings still gets a publish).
local published = {}
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, res, ctx, config)
  if res and res.uri then published[res.uri] = (published[res.uri] or 0) + 1 end
  return default_publish(err, res, ctx, config)
end

local client_id = vim.lsp.start_client({
  name = 'bulkhead',
  cmd = { env('NODE'), env('SERVER_JS'), '--stdio' },
  root_dir = WS,
  workspace_folders = { { uri = vim.uri_from_fname(WS), name = 'ws' } },
  on_exit = function(code, signal) result.server_exit = { code = code, signal = signal } end,
})
if not client_id then fail('vim.lsp.start_client returned nil'); return finish() end

local function filetype(rel)
  if rel:match('[Dd]ockerfile') or rel:match('[Cc]ontainerfile') then return 'dockerfile' end
  return 'yaml'
end

-- Open every file of the workspace that the expectations name, attach the client.
local buffers = {}
local rels = vim.tbl_keys(expected.files)
-- The runner decides which files open, in which order (expected.order); by default all of them, by path.
if expected.order then rels = expected.order end
result.order = rels
for _, rel in ipairs(rels) do
  vim.cmd('edit ' .. vim.fn.fnameescape(WS .. '/' .. rel))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = filetype(rel)
  vim.lsp.buf_attach_client(bufnr, client_id)
  buffers[rel] = bufnr
end

local function actual(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, string.format('%d:%s', d.lnum, tostring(d.code)))
  end
  table.sort(list)
  return list
end

local function matches(rel)
  local bufnr = buffers[rel]
  if not published[vim.uri_from_bufnr(bufnr)] then return false end
  local want = vim.deepcopy(expected.files[rel])
  table.sort(want)
  return vim.deep_equal(actual(bufnr), want)
end

-- Cross-file rules settle as the server learns the other open files: wait for the state, not for time.
local settled = vim.wait(TIMEOUT, function()
  for _, rel in ipairs(rels) do if not matches(rel) then return false end end
  return true
end, 50)
for _, rel in ipairs(rels) do
  result.files[rel] = { got = actual(buffers[rel]), published = published[vim.uri_from_bufnr(buffers[rel])] or 0 }
  if not matches(rel) then fail(rel .. ': diagnostics differ from the CLI') end
end
if settled then stepok(string.format('diagnostics of %d files equal the CLI', #rels)) end

local client = vim.lsp.get_client_by_id(client_id)

local DIAGNOSTICS_ONLY = os.getenv('CHECKS') == 'diagnostics'

-- Hover on a finding shows the rule's docs.
if expected.hover and not DIAGNOSTICS_ONLY then
  local h = expected.hover
  local bufnr = buffers[h.file]
  local resp = client.request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = h.line, character = h.character },
  }, 5000, bufnr)
  local value = resp and resp.result and resp.result.contents and resp.result.contents.value or ''
  result.hover = value:sub(1, 300)
  if value:find(h.rule, 1, true) and value:find('How to fix', 1, true) and value:find(h.title, 1, true) then
    stepok('hover on ' .. h.file .. ' shows the docs of ' .. h.rule)
  else
    fail('hover on ' .. h.file .. ' did not show the docs of ' .. h.rule .. ': ' .. vim.inspect(resp))
  end
end

-- Quick-fix: ask for code actions at the finding, apply the rule's fix, the finding clears.
if expected.fix and not DIAGNOSTICS_ONLY then
  local f = expected.fix
  local bufnr = buffers[f.file]
  local diag
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == f.rule and d.lnum == f.line then diag = d end
  end
  if not diag then
    fail('no ' .. f.rule .. ' diagnostic on line ' .. f.line .. ' of ' .. f.file)
  else
    -- nvim 0.7 keeps only {code} in user_data.lsp: rebuild the LSP diagnostic from the vim one.
    local range = { start = { line = diag.lnum, character = diag.col }, ['end'] = { line = diag.end_lnum, character = diag.end_col } }
    local resp = client.request_sync('textDocument/codeAction', {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = range,
      context = { diagnostics = { { range = range, message = diag.message, source = diag.source, code = diag.code, severity = diag.severity } } },
    }, 5000, bufnr)
    local action
    for _, a in ipairs(resp and resp.result or {}) do
      if a.title:sub(1, #f.title) == f.title then action = a end
    end
    result.actions = vim.tbl_map(function(a) return a.title end, resp and resp.result or {})
    if not action or not action.edit then
      fail('no "' .. f.title .. '" code action: ' .. vim.inspect(result.actions))
    else
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
      local cleared = vim.wait(TIMEOUT, function()
        for _, d in ipairs(vim.diagnostic.get(bufnr)) do if d.code == f.rule then return false end end
        return true
      end, 50)
      result.after_fix = actual(bufnr)
      if not text:find(f.fixedText, 1, true) then
        fail('after "' .. action.title .. '" the text does not contain ' .. f.fixedText)
      elseif not cleared then
        fail('after "' .. action.title .. '" ' .. f.rule .. ' is still reported')
      else
        stepok('"' .. action.title .. '" rewrote ' .. f.file .. ' and cleared ' .. f.rule)
      end
    end
  end
end

-- Clean shutdown: the server must exit on shutdown/exit.
client.stop()
local stopped = vim.wait(5000, function() return result.server_exit ~= nil end, 50)
if not stopped then fail('server did not exit after shutdown') else stepok('server exited with ' .. tostring(result.server_exit.code)) end
finish()
