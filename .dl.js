const {spawnSync}=require('child_process');const path=require('path');const fs=require('fs');
const lint=require('dockerfilelint');
const files=fs.readFileSync('/tmp/dfs.txt','utf8').trim().split('\n');
const ok=files.filter(f=>{const t=fs.readFileSync(f,'utf8');if(!t.length)return false;try{lint.run(path.dirname(f),t);return true}catch{return false}});
const bin=path.join(path.dirname(require.resolve('dockerfilelint/package.json')),'bin','dockerfilelint');
const time=a=>{const t0=performance.now();spawnSync(process.execPath,a,{stdio:'ignore',maxBuffer:1<<26});return performance.now()-t0;};
const ours=[],theirs=[];for(let r=0;r<5;r++){ if(r%2){theirs.push(time([bin,...ok,'--json']));ours.push(time(['bin/bulkhead.js','scan',...ok,'--format','json']));}else{ours.push(time(['bin/bulkhead.js','scan',...ok,'--format','json']));theirs.push(time([bin,...ok,'--json']));}}
const med=a=>[...a].sort((x,y)=>x-y)[a.length>>1];
console.log(ok.length,'files: bulkhead',med(ours).toFixed(0),'dockerfilelint',med(theirs).toFixed(0),'ratio',(med(ours)/med(theirs)).toFixed(2));
