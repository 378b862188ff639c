// Interface text in English and Korean. Keys match data-i18n / data-i18n-label in index.html.
export const STRINGS = {
  en: {
    skip: "Skip to the message box",
    tools: "Page settings",
    simpleMode: "Large text",
    memoryOpen: "What I remember",
    signOut: "Sign out",
    loginTitle: "Sign in",
    loginIntro: "Your conversations stay on this computer and belong to you.",
    name: "Name",
    password: "Password",
    passwordHelp: "At least 8 characters.",
    signIn: "Sign in",
    signUp: "Create account",
    conversation: "Conversation",
    ready: "Ready.",
    thinking: "Kindred is replying…",
    stopped: "Stopped.",
    offline: "Connection lost. Reconnecting…",
    messageLabel: "Your message",
    messageHelp: "Enter sends. Shift+Enter starts a new line. Escape stops a reply.",
    send: "Send",
    stop: "Stop",
    voiceGroup: "Voice and camera",
    mic: "Microphone",
    handsFree: "Hands-free",
    camera: "Camera",
    voiceNote: "Voice is not available yet: the speech module is not installed. Please type instead.",
    cameraNote: "The camera is not available yet: the expression module is not installed.",
    memoryTitle: "What I remember about you",
    memoryEmpty: "Nothing yet. What you tell me will appear here.",
    memoryNote: "These are your own words, as stored on this computer. Editing and forgetting will come soon.",
    forget: "Forget something",
    export: "Download everything",
    close: "Close",
    you: "You",
    kindred: "Kindred",
    feedbackGroup: "Was this reply helpful?",
    helpful: "Helpful",
    notHelpful: "Not helpful",
    thanks: "Thank you for the feedback.",
    repliedPrefix: "Kindred says: ",
    errorPrefix: "Problem: ",
    otherLanguage: "한국어",
    otherLanguageCode: "ko",
  },
  ko: {
    skip: "메시지 입력란으로 건너뛰기",
    tools: "페이지 설정",
    simpleMode: "큰 글씨",
    memoryOpen: "내가 기억하는 것",
    signOut: "로그아웃",
    loginTitle: "로그인",
    loginIntro: "대화는 이 컴퓨터에만 저장되고, 당신의 것입니다.",
    name: "이름",
    password: "비밀번호",
    passwordHelp: "8자 이상 입력하세요.",
    signIn: "로그인",
    signUp: "계정 만들기",
    conversation: "대화",
    ready: "준비됐어요.",
    thinking: "Kindred가 답하는 중…",
    stopped: "멈췄어요.",
    offline: "연결이 끊겼어요. 다시 연결하는 중…",
    messageLabel: "메시지",
    messageHelp: "Enter로 보내고, Shift+Enter로 줄을 바꿔요. Esc로 답을 멈춰요.",
    send: "보내기",
    stop: "멈추기",
    voiceGroup: "음성과 카메라",
    mic: "마이크",
    handsFree: "핸즈프리",
    camera: "카메라",
    voiceNote: "음성은 아직 쓸 수 없어요: 음성 모듈이 설치되지 않았어요. 글로 적어 주세요.",
    cameraNote: "카메라는 아직 쓸 수 없어요: 표정 모듈이 설치되지 않았어요.",
    memoryTitle: "내가 기억하는 당신",
    memoryEmpty: "아직 없어요. 들려주는 이야기가 여기에 보여요.",
    memoryNote: "이 컴퓨터에 저장된 당신의 말이에요. 고치기와 잊기는 곧 생겨요.",
    forget: "잊어 주기",
    export: "모두 내려받기",
    close: "닫기",
    you: "나",
    kindred: "Kindred",
    feedbackGroup: "이 답이 도움이 됐나요?",
    helpful: "도움이 됐어요",
    notHelpful: "도움이 안 됐어요",
    thanks: "의견 고마워요.",
    repliedPrefix: "Kindred: ",
    errorPrefix: "문제: ",
    otherLanguage: "English",
    otherLanguageCode: "en",
  },
};

export function pickLanguage(saved, browser) {
  if (saved === "en" || saved === "ko") return saved;
  return String(browser || "").toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function applyLanguage(lang, root = document) {
  const strings = STRINGS[lang];
  root.documentElement.lang = lang;
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = strings[node.dataset.i18n];
  }
  for (const node of root.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", strings[node.dataset.i18nLabel]);
  }
  const toggle = root.getElementById("language");
  toggle.textContent = strings.otherLanguage;
  toggle.lang = strings.otherLanguageCode;
  return strings;
}
