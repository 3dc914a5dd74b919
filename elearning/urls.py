from django.urls import path

from elearning import views

app_name = "elearning"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("certificaat/", views.verify_form, name="verify_form"),
    path("certificaat/<str:code>/", views.verify, name="verify"),
    path("<slug:slug>/", views.course_detail, name="course"),
    path("<slug:slug>/les/<int:number>/", views.lesson_detail, name="lesson"),
    path("<slug:slug>/les/<int:number>/gelezen/", views.lesson_done, name="lesson_done"),
    path("<slug:slug>/toets/", views.quiz, name="quiz"),
    path("<slug:slug>/toets/uitslag/<int:pk>/", views.result, name="result"),
    path("<slug:slug>/certificaat/", views.certificate, name="certificate"),
]
